#!/usr/bin/env bash
# Issue #3: "no spurious elections over 10 minutes of idle or steady load". Starts the same
# 3-server Consul.Web cluster as run.sh (127.0.0.61-63, raft_multiplier 1, fresh data dirs under
# bench/out/stability/), waits for a leader, then LoadGen polls every server's Raft term and
# reported leader once a second: first with the cluster idle, then under closed-loop 128-byte
# KV writes to the leader. Prints a table of term and leader changes per phase (and each change).
# usage: bench/cluster/stability.sh [idle-minutes=10] [load-minutes=10] [writers=16]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds() { awk -v m="$1" 'BEGIN { printf "%d", m * 60 }'; }
IDLE=$(seconds "${1:-10}")
LOAD=$(seconds "${2:-10}")
WRITERS=${3:-16}
OUT=bench/out/stability
LOADGEN=bench/cluster/LoadGen/bin/Release/net10.0/LoadGen
dotnet build src/Agent -c Release -v q >/dev/null
dotnet build bench/cluster/LoadGen -c Release -v q >/dev/null

rm -rf "$OUT"
mkdir -p "$OUT"
declare -A pid=()
cleanup() {
  for p in "${pid[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for p in "${pid[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
source bench/cluster/consul-servers.sh

for i in 1 2 3; do start_consul "$i"; done
{
  echo "# Election stability ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "3 Consul.Web servers (raft_multiplier 1): ${IDLE} s idle, then ${LOAD} s of writes from ${WRITERS} closed-loop clients to the leader."
  echo
  "$LOADGEN" stability "$CONSUL_NODES" "$IDLE" "$LOAD" "$WRITERS"
  echo
  echo "Leader changes in the servers' logs: $(cat "$OUT"/consul*.log | grep -c 'sees leader' || true) \"sees leader\" lines (3 expected: each server's first)."
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/results.md"
