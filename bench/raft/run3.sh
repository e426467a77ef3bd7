#!/usr/bin/env bash
# The Raft engine alone, as bench/cluster/run.sh runs it, without etcd or the Consul agents:
# three RaftBench processes (127.0.0.65-67, gRPC on port 7300, fresh WALs under bench/out/raft3/),
# closed-loop 128-byte proposals at 1/16/64 proposers on the leader. Prints the commit floor of
# this disk measured in the same run (bench/cluster/LoadGen floor) and the table.
# usage: bench/raft/run3.sh [seconds-per-row=10] [--no-build]
# RAFT_ROWS=1 (comma-separated proposer counts) measures only those rows.
# RAFT_TRACE=1 in the environment makes the leader also print a per-stage latency breakdown of the
# 1-proposer row (see bench/raft/Trace.cs).
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR=${1:-10}
OUT=bench/out/raft3
# RAFTBENCH=<path> runs another build (e.g. of an older commit) for before/after comparisons.
RAFTBENCH=${RAFTBENCH:-bench/raft/bin/Release/net10.0/RaftBench}
LOADGEN=bench/cluster/LoadGen/bin/Release/net10.0/LoadGen
if [[ ${2:-} != --no-build ]]; then
  dotnet build bench/raft -c Release -v q >/dev/null
  [[ -x $LOADGEN ]] || dotnet build bench/cluster/LoadGen -c Release -v q >/dev/null
fi

rm -rf "$OUT"
mkdir -p "$OUT"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

echo "# Raft engine alone, 3 processes ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo
floor_line=$("$LOADGEN" floor "$OUT")
echo "Commit floor on this disk, same run: $floor_line"
echo
disk_line=$("$RAFTBENCH" disk "$OUT" 2>/dev/null || echo "WAL probe: (not in this build)")
echo "This build's $disk_line"
echo
peers=r1=127.0.0.65,r2=127.0.0.66,r3=127.0.0.67
for i in 1 2 3; do
  "$RAFTBENCH" node "r$i" "127.0.0.6$((i + 4))" "$OUT/raft$i" "$peers" "$DUR" "$OUT/raft.md" >>"$OUT/raft$i.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 600); do [[ -f $OUT/raft.md ]] && break; sleep 0.5; done
if [[ -f $OUT/raft.md ]]; then cat "$OUT/raft.md"; else echo "(no result: see $OUT/raft*.log)"; fi
# Issue #3's target, computed: the 1-proposer p50 against the floor (one fsync alone + two round
# trips), and for reference against three WALs syncing at once + two round trips (what a commit
# meets here, where the three replicas share one disk).
p50_ms=$(awk -F'|' '$2 ~ /^ *1 *$/ {gsub(/ /, "", $4); print $4}' "$OUT/raft.md" 2>/dev/null || true)
floor_us=$(grep -o 'two round trips = [0-9]*' <<<"$floor_line" | grep -o '[0-9]*$' || true)
rtt_us=$(grep -o 'round trip: p50 [0-9]*' <<<"$floor_line" | grep -o '[0-9]*$' || true)
shared_us=$(grep -o 'at once p50 [0-9]*' <<<"$disk_line" | grep -o '[0-9]*$' || true)
if [[ -n $p50_ms && -n $floor_us ]]; then
  echo
  awk -v p="$p50_ms" -v f="$floor_us" -v r="$rtt_us" -v s="$shared_us" 'BEGIN {
    printf "1-proposer p50 / floor: %.2fx (target: at most 2x)", p * 1000 / f
    if (s != "" && r != "") printf "; / (three WALs syncing at once + two round trips = %d µs): %.2fx", s + 2 * r, p * 1000 / (s + 2 * r)
    print "" }'
fi
if [[ ${RAFT_TRACE:-} == 1 && -f $OUT/raft.md ]]; then
  sleep 1.5 # the followers append their traces once a second
  leader=$(grep -l '^call' "$OUT"/raft*/trace.tsv | head -n 1)
  echo
  "$RAFTBENCH" trace "$leader" $(ls "$OUT"/raft*/trace.tsv | grep -v "^$leader$")
fi
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
