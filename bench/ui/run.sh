#!/usr/bin/env bash
# Builds the agent and the UI bench, starts `consul agent -dev` on 127.0.0.60,
# runs the measurements (about 1.5 minutes after the builds) and prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
ADDR=127.0.0.60
dotnet build src/Agent -c Release -v q -nologo | grep -E " error |Elapsed" || true
dotnet build bench/ui/UiBench -c Release -v q -nologo | grep -E " error |Elapsed" || true

DATA=$(mktemp -d)
src/Agent/bin/Release/net10.0/consul agent -dev -bind=$ADDR -client=$ADDR >"$DATA/agent.log" 2>&1 &
AGENT=$!
trap 'kill $AGENT 2>/dev/null || true; wait $AGENT 2>/dev/null || true' EXIT

# Wait (bounded) for a leader so KV writes succeed.
for _ in $(seq 1 100); do
  leader=$(curl -s "http://$ADDR:8500/v1/status/leader" || true)
  [[ "$leader" == \"*:*\" ]] && break
  sleep 0.2
done
echo "agent pid $AGENT, leader $leader"

timeout 170 bench/ui/UiBench/bin/Release/net10.0/UiBench "http://$ADDR:8500" "$AGENT" "$(getconf CLK_TCK)"
