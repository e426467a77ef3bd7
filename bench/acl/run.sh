#!/usr/bin/env bash
# What ACL enforcement costs on the hot read paths, side by side in one run: two -dev agents
# with the same data, one with ACLs off (127.0.0.111) and one with ACLs on, default_policy
# deny, read with a limited token (127.0.0.112); wrk against each in turn, alternating.
# usage: bench/acl/run.sh [duration-seconds] [rounds]   (writes bench/results/acl.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR=${1:-10}
ROUNDS=${2:-2}
OUT=bench/out
mkdir -p "$OUT" bench/results
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
dotnet publish src/Agent -c Release -o "$OUT/agent" -v q >/dev/null

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

OFF=127.0.0.111 ON=127.0.0.112 ROOT=bench-root-secret
cat >"$OUT/acl-on.hcl" <<HCL
acl {
  enabled = true
  default_policy = "deny"
  tokens { initial_management = "$ROOT" }
}
HCL
"$OUT/agent/consul" agent -dev -log-level=warn -bind=$OFF -client=$OFF -dns-port=-1 -data-dir="$OUT/acl-off-data" >"$OUT/acl-off.log" 2>&1 &
pids+=("$!")
"$OUT/agent/consul" agent -dev -log-level=warn -bind=$ON -client=$ON -dns-port=-1 -config-file="$OUT/acl-on.hcl" >"$OUT/acl-on.log" 2>&1 &
pids+=("$!")
wait_for() { for _ in $(seq 1 150); do curl -sf "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "agent not ready: $*" >&2; exit 1; }
wait_for "http://$OFF:8500/v1/kv/?keys"
wait_for -H "X-Consul-Token: $ROOT" "http://$ON:8500/v1/acl/token/self"

# Same data on both: one key, a service with three instances on three nodes; a reader token on the ACL side.
for a in $OFF $ON; do
  curl -sf -H "X-Consul-Token: $ROOT" -X PUT --data 'hello world' "http://$a:8500/v1/kv/bench/key" >/dev/null
  for i in 1 2 3; do
    curl -sf -H "X-Consul-Token: $ROOT" -X PUT "http://$a:8500/v1/catalog/register" -d "{\"Node\":\"bench-$i\",\"Address\":\"127.0.1.$i\",\"Service\":{\"Service\":\"web\",\"Port\":80},\"Check\":{\"CheckID\":\"web-$i\",\"Name\":\"web\",\"Status\":\"passing\",\"ServiceID\":\"web\"}}" >/dev/null
  done
done
curl -sf -H "X-Consul-Token: $ROOT" -X PUT "http://$ON:8500/v1/acl/policy" \
  -d '{"Name":"reader","Rules":"key_prefix \"bench/\" { policy = \"read\" }\nservice_prefix \"web\" { policy = \"read\" }\nnode_prefix \"bench-\" { policy = \"read\" }"}' >/dev/null
TOKEN=$(curl -sf -H "X-Consul-Token: $ROOT" -X PUT "http://$ON:8500/v1/acl/token" -d '{"Description":"bench reader","Policies":[{"Name":"reader"}]}' | sed -n 's/.*"SecretID": *"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "could not create the reader token" >&2; exit 1; }

rps() { wrk -t2 -c64 -d"${DUR}s" "$@" | awk '/Requests\/sec/ {print $2}'; }
declare -A sum
paths=(/v1/kv/bench/key /v1/catalog/service/web /v1/health/service/web?passing)
for r in $(seq 1 "$ROUNDS"); do
  for p in "${paths[@]}"; do
    off=$(rps "http://$OFF:8500$p"); on=$(rps -H "X-Consul-Token: $TOKEN" "http://$ON:8500$p")
    sum["$p off"]=$(echo "${sum["$p off"]:-0} + $off" | bc); sum["$p on"]=$(echo "${sum["$p on"]:-0} + $on" | bc)
  done
done
{
  echo "# ACL cost ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t2 -c64 -d${DUR}s, $ROUNDS alternating rounds)"
  echo
  echo "| read | ACLs off, req/s | ACLs on (limited token), req/s | on / off |"
  echo "| --- | --- | --- | --- |"
  for p in "${paths[@]}"; do
    off=$(echo "${sum["$p off"]} / $ROUNDS" | bc); on=$(echo "${sum["$p on"]} / $ROUNDS" | bc)
    printf '| GET %s | %s | %s | %s |\n' "$p" "$off" "$on" "$(echo "scale=2; $on / $off" | bc)"
  done
} | tee bench/results/acl.md
