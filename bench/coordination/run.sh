#!/usr/bin/env bash
# Coordination benchmark: KV lock hand-over latency through sessions and /v1/txn throughput,
# against a -dev agent on loopback 127.0.0.61. Prints a markdown table.
# usage: bench/coordination/run.sh [handovers=200] [txn-seconds=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
HANDOVERS=${1:-200}
TXN_SECONDS=${2:-10}
ADDR=127.0.0.61
OUT=bench/out/coordination
mkdir -p "$OUT"

dotnet build src/Agent -c Release -v q >/dev/null
dotnet build bench/coordination/CoordBench -c Release -v q >/dev/null

src/Agent/bin/Release/net10.0/consul agent -dev -bind=$ADDR -client=$ADDR -log-level=warn >"$OUT/agent.log" 2>&1 &
agent=$!
trap 'kill "$agent" 2>/dev/null || true; wait "$agent" 2>/dev/null || true' EXIT

for _ in $(seq 1 150); do
  leader=$(curl -sf "http://$ADDR:8500/v1/status/leader" || true)
  [[ -n "$leader" && "$leader" != '""' ]] && break
  sleep 0.2
done

echo "# Coordination benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, agent -dev on $ADDR)"
echo
timeout 170 bench/coordination/CoordBench/bin/Release/net10.0/CoordBench "http://$ADDR:8500" "$HANDOVERS" "$TXN_SECONDS"
