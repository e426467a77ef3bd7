# Sourced by bench/cluster/run.sh and stability.sh (from the repository root, with OUT set and
# `declare -A pid` done): start_consul N starts server cN of a 3-server Consul.Web cluster on
# 127.0.0.6N (data in $OUT/consulN, log $OUT/consulN.log) and records its PID in pid[cN].
CONSUL=src/Agent/bin/Release/net10.0/consul
CONSUL_NODES=http://127.0.0.61:8500,http://127.0.0.62:8500,http://127.0.0.63:8500
start_consul() { # member number 1..3
  local i=$1
  # raft_multiplier 1 (Consul's default is 5; HashiCorp recommends 1 for production servers).
  [[ -f $OUT/perf.hcl ]] || echo 'performance { raft_multiplier = 1 }' >"$OUT/perf.hcl"
  mkdir -p "$OUT/consul$i"
  "$CONSUL" agent -server -bootstrap-expect=3 -node="c$i" -bind="127.0.0.6$i" -client="127.0.0.6$i" \
    -data-dir="$OUT/consul$i" -retry-join=127.0.0.61 -retry-join=127.0.0.62 -retry-join=127.0.0.63 \
    -config-file="$OUT/perf.hcl" -log-level=info >>"$OUT/consul$i.log" 2>&1 &
  pid[c$i]=$!
}
