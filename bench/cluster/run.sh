#!/usr/bin/env bash
# Cluster benchmark, side by side in one run: a 3-server Consul.Web cluster (127.0.0.61-63,
# raft_multiplier 1) and a 3-member etcd cluster (127.0.0.71-73), both on fresh data dirs.
#  1. KV writes (128 B) at 1/16/64 clients and reads at 64 clients, sent to each leader
#     (bench/cluster/LoadGen, closed loop, HdrHistogram);
#  2. leader failover: SIGKILL the leader, time until a survivor reports a new leader and that
#     leader acknowledges a write; restart the killed member on its data dir and wait until it
#     has caught up before the next trial.
# usage: bench/cluster/run.sh [seconds-per-row=10] [failover-trials=10] [warmup-seconds=2]
# Prints markdown and keeps a copy in bench/out/cluster/results.md (logs next to it).
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR=${1:-10}
TRIALS=${2:-10}
WARMUP=${3:-2}
OUT=bench/out/cluster
LOADGEN=bench/cluster/LoadGen/bin/Release/net10.0/LoadGen

SUDO=$([[ $EUID -eq 0 ]] || echo sudo)
command -v etcd >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq etcd-server >/dev/null; }
dotnet build src/Agent -c Release -v q >/dev/null
dotnet build bench/cluster/LoadGen -c Release -v q >/dev/null
dotnet build bench/raft -c Release -v q >/dev/null

rm -rf "$OUT"
mkdir -p "$OUT"
declare -A pid=()   # member name (c1..c3, e1..e3) -> process id
cleanup() {
  for p in "${pid[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for p in "${pid[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
source bench/cluster/consul-servers.sh

# etcd's defaults: heartbeat 100 ms, election timeout 1000 ms. --initial-* are ignored on restart.
ETCD_CLUSTER=e1=http://127.0.0.71:2380,e2=http://127.0.0.72:2380,e3=http://127.0.0.73:2380
start_etcd() { # member number 1..3
  local i=$1
  etcd --name "e$i" --data-dir "$OUT/etcd$i" \
    --listen-client-urls "http://127.0.0.7$i:2379" --advertise-client-urls "http://127.0.0.7$i:2379" \
    --listen-peer-urls "http://127.0.0.7$i:2380" --initial-advertise-peer-urls "http://127.0.0.7$i:2380" \
    --initial-cluster "$ETCD_CLUSTER" --initial-cluster-state new --initial-cluster-token bench \
    --logger zap --log-level warn >>"$OUT/etcd$i.log" 2>&1 &
  pid[e$i]=$!
}
ETCD_NODES=http://127.0.0.71:2379,http://127.0.0.72:2379,http://127.0.0.73:2379

for i in 1 2 3; do start_consul "$i"; start_etcd "$i"; done
t0=$(date +%s%N)
"$LOADGEN" leader consul "$CONSUL_NODES" >/dev/null
echo "Consul.Web leader agreed after $(( ($(date +%s%N) - t0) / 1000000 )) ms" >&2
"$LOADGEN" leader etcd "$ETCD_NODES" >/dev/null

{
  echo "# Cluster benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Consul.Web $("$CONSUL" version | head -n 1) (raft_multiplier 1) vs $(etcd --version | head -n 1);"
  echo "${WARMUP} s warm-up + ${DUR} s measured per row, closed loop, requests to each leader."
  echo
  echo "Commit floor on this disk, same run: $("$LOADGEN" floor "$OUT")"
  echo
  "$LOADGEN" load "$CONSUL_NODES" "${pid[c1]},${pid[c2]},${pid[c3]}" "$ETCD_NODES" "${pid[e1]},${pid[e2]},${pid[e3]}" "$DUR" "$WARMUP"
} | tee "$OUT/results.md"

# The Raft engine alone, as three processes over gRPC with real WALs (bench/raft node mode):
# proposals on the leader, no HTTP, no KV encoding. Same run, so the commit floor above applies.
RAFTBENCH=bench/raft/bin/Release/net10.0/RaftBench
raft_peers=r1=127.0.0.65,r2=127.0.0.66,r3=127.0.0.67
for i in 1 2 3; do
  "$RAFTBENCH" node "r$i" "127.0.0.6$((i + 4))" "$OUT/raft$i" "$raft_peers" "$DUR" "$OUT/raft.md" >>"$OUT/raft$i.log" 2>&1 &
  pid[r$i]=$!
done
for _ in $(seq 1 600); do [[ -f $OUT/raft.md ]] && break; sleep 0.5; done
for i in 1 2 3; do kill -9 "${pid[r$i]}" 2>/dev/null || true; wait "${pid[r$i]}" 2>/dev/null || true; unset "pid[r$i]"; done
{
  echo
  echo "## Raft engine alone: 3 processes over gRPC, real WALs, 128-byte proposals on the leader"
  echo
  if [[ -f $OUT/raft.md ]]; then cat "$OUT/raft.md"; else echo "(no result: see $OUT/raft*.log)"; fi
} | tee -a "$OUT/results.md"

failover() { # system (consul|etcd), member prefix (c|e), node list
  local sys=$1 prefix=$2 nodes=$3 times=() trial leader killed_at r ms back
  {
    echo
    echo "## Failover: $sys ($TRIALS trials)"
    echo
    echo "| trial | killed | new leader | kill → new leader acked a write (ms) | restarted member caught up (ms) |"
    echo "| ---: | ---: | ---: | ---: | ---: |"
  } | tee -a "$OUT/results.md"
  for trial in $(seq 1 "$TRIALS"); do
    leader=$("$LOADGEN" leader "$sys" "$nodes")
    killed_at=$(date +%s%N)
    kill -9 "${pid[$prefix$leader]}"
    wait "${pid[$prefix$leader]}" 2>/dev/null || true
    r=$("$LOADGEN" failover "$sys" "$nodes" "$leader" "$killed_at") || r="NaN -"
    ms=${r% *}
    times+=("$ms")
    echo "==> trial $trial: killed $prefix$leader, restarting" >>"$OUT/$sys$leader.log"
    if [[ $sys == consul ]]; then start_consul "$leader"; else start_etcd "$leader"; fi
    back=$("$LOADGEN" caught-up "$sys" "$nodes" "$leader") || back="not within 60 s"
    echo "| $trial | $prefix$leader | $prefix${r#* } | $ms | $back |" | tee -a "$OUT/results.md"
  done
  printf '%s\n' "${times[@]}" | sort -g | awk -v sys="$sys" '
    { v[NR] = $1 }
    END { med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
          printf "\n%s failover over %d trials: median %.0f ms, max %.0f ms\n", sys, NR, med, v[NR] }' |
    tee -a "$OUT/results.md"
}
failover consul c "$CONSUL_NODES"
failover etcd e "$ETCD_NODES"
