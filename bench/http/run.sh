#!/usr/bin/env bash
# HTTP benchmark, side by side in one run: the agent's KV and catalog/health reads
# against a bare Kestrel endpoint serving the same bytes; KV PUT throughput; and
# 10,000 idle blocking queries held while /v1/status/leader is measured.
# usage: bench/http/run.sh [duration-seconds]   (writes bench/results/http.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR=${1:-10}
OUT=bench/out
mkdir -p "$OUT" bench/results
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

dotnet publish src/Agent -c Release -o "$OUT/agent" -v q >/dev/null
dotnet publish bench/BareKestrel -c Release -o "$OUT/bare" -v q >/dev/null
dotnet publish bench/BlockingHold -c Release -o "$OUT/hold" -v q >/dev/null

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# The hold below keeps 10 000 blocking queries open from one address: lift Consul's default of 200
# connections per client (limits.http_max_conns_per_client), as a user with that load would.
"$OUT/agent/consul" agent -dev -log-level=warn -hcl 'limits { http_max_conns_per_client = 0 }' >"$OUT/agent.log" 2>&1 &
agent=$!; pids+=("$agent")
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:8500/v1/status/leader >/dev/null && break; sleep 0.2; done

# Seed: one key, one service with three instances on three nodes.
curl -sf -X PUT --data 'hello world' http://127.0.0.1:8500/v1/kv/bench/key >/dev/null
for i in 1 2 3; do
  curl -sf -X PUT http://127.0.0.1:8500/v1/catalog/register -d "{\"Node\":\"bench-$i\",\"Address\":\"127.0.1.$i\",\"Service\":{\"Service\":\"web\",\"Port\":80,\"Tags\":[\"v1\"]},\"Check\":{\"CheckID\":\"web-$i\",\"Name\":\"web\",\"Status\":\"passing\",\"ServiceID\":\"web\"}}" >/dev/null
done
mkdir -p "$OUT/bare-root"
curl -sf http://127.0.0.1:8500/v1/catalog/service/web >"$OUT/bare-root/catalog.json"
curl -sf http://127.0.0.1:8500/v1/health/service/web >"$OUT/bare-root/health.json"
(cd "$OUT/bare-root" && ASPNETCORE_URLS=http://127.0.0.1:8700 "../bare/BareKestrel" >/dev/null 2>&1) &
pids+=("$!")
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:8700/kv >/dev/null && break; sleep 0.2; done

run() { # name url [extra wrk args...]
  local name=$1 url=$2; shift 2
  local r; r=$(wrk -t2 -c64 -d"${DUR}s" --latency "$@" "$url")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$r")
  p50=$(awk '$1=="50%" {print $2}' <<<"$r")
  p99=$(awk '$1=="99%" {print $2}' <<<"$r")
  printf '| %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99"
}

{
  echo "# HTTP benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t2 -c64 -d${DUR}s)"
  echo
  echo "| load | requests/s | p50 | p99 |"
  echo "| --- | --- | --- | --- |"
  run "bare Kestrel, KV-shaped body" http://127.0.0.1:8700/kv
  run "agent GET /v1/kv/bench/key" http://127.0.0.1:8500/v1/kv/bench/key
  run "bare Kestrel, catalog-shaped body" http://127.0.0.1:8700/catalog
  run "agent GET /v1/catalog/service/web" http://127.0.0.1:8500/v1/catalog/service/web
  run "bare Kestrel, health-shaped body" http://127.0.0.1:8700/health
  run "agent GET /v1/health/service/web" http://127.0.0.1:8500/v1/health/service/web
  run "agent PUT /v1/kv (128 B)" http://127.0.0.1:8500 -s bench/http/put.lua
} | tee bench/results/http.md

# 10,000 idle blocking queries, then /v1/status/leader latency and agent RSS.
"$OUT/hold/BlockingHold" http://127.0.0.1:8500 10000 10m $((DUR + 40)) >"$OUT/hold.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 150); do grep -q "in-flight 10000" "$OUT/hold.log" 2>/dev/null && break; sleep 0.2; done
held=$(grep -o 'in-flight [0-9]*' "$OUT/hold.log" | tail -n 1)
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$agent/status")
lead=$(wrk -t1 -c8 -d"${DUR}s" --latency http://127.0.0.1:8500/v1/status/leader)
{
  echo
  echo "Blocking queries held: ${held:-unknown}; agent RSS $((rss_kb / 1024)) MiB"
  echo
  echo "| /v1/status/leader during the hold (wrk -t1 -c8) | requests/s | p50 | p99 |"
  echo "| --- | --- | --- | --- |"
  printf '| leader | %s | %s | %s |\n' "$(awk '/Requests\/sec/ {print $2}' <<<"$lead")" "$(awk '$1=="50%" {print $2}' <<<"$lead")" "$(awk '$1=="99%" {print $2}' <<<"$lead")"
} | tee -a bench/results/http.md
