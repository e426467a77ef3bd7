#!/usr/bin/env bash
# dnsperf against ConsulDnsServer (DnsBenchHost, 127.0.0.1:8600) and dnsmasq (127.0.0.1:5353)
# serving the same names, side by side in one run: service A (3 instances), service SRV
# (3 instances), the mix in queries.txt, and the A lookups again while a catalog write lands
# every 100 ms (DnsBenchHost on :8601 with churn). Needs: dnsperf, dnsmasq (Debian packages).
set -euo pipefail
cd "$(dirname "$0")"
DURATION=${DURATION:-10}
CLIENTS=${CLIENTS:-4}
for tool in dnsperf dnsmasq dig; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install dnsperf dnsmasq-base dnsutils" >&2; exit 1; }
done

dotnet build DnsBenchHost -c Release -v q -o out/host >/dev/null
LIFETIME=$((DURATION * 12 + 60))
dotnet out/host/DnsBenchHost.dll 8600 < <(sleep $LIFETIME) &
HOST=$!
dotnet out/host/DnsBenchHost.dll 8601 100 < <(sleep $LIFETIME) &
CHURN=$!
dnsmasq --conf-file=dnsmasq.conf &
MASQ=$!
trap 'kill $HOST $CHURN $MASQ 2>/dev/null || true' EXIT

for port in 8600 8601 5353; do
  for _ in $(seq 100); do dig +short +time=1 +tries=1 @127.0.0.1 -p $port web.service.consul A >/dev/null 2>&1 && break; sleep 0.2; done
done

qps() { # port queries-file → prints QPS and average latency (ms)
  dnsperf -s 127.0.0.1 -p "$1" -d "$2" -l 2 -c "$CLIENTS" -q 100 >/dev/null 2>&1 || true # warm-up (JIT)
  dnsperf -s 127.0.0.1 -p "$1" -d "$2" -l "$DURATION" -c "$CLIENTS" -q 100 |
    awk '/Queries per second/ {q=$4} /Queries lost/ {l=$3} /Average Latency/ {a=$4*1000} END {printf "%.0f %.2f %s", q, a, l}'
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); dnsperf ${DURATION}s, $CLIENTS clients, 100 in flight, UDP"
echo "| queries | Consul.Web QPS | avg ms | lost | dnsmasq QPS | avg ms | lost | ratio |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
row() { # label consul-port file
  read -r cq ca cl <<<"$(qps "$2" "$3")"
  read -r mq ma ml <<<"$(qps 5353 "$3")"
  echo "| $1 | $cq | $ca | $cl | $mq | $ma | $ml | $(awk -v a="$cq" -v b="$mq" 'BEGIN {printf "%.2f", a / b}') |"
}
row "service A, 3 instances" 8600 queries-a.txt
row "service SRV, 3 instances" 8600 queries-srv.txt
row "mix (A, SRV, node A, NXDOMAIN)" 8600 queries.txt
row "service A, a catalog write every 100 ms" 8601 queries-a.txt
