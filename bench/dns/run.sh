#!/usr/bin/env bash
# Runs dnsperf for 10 s each against ConsulDnsServer (DnsBenchHost on 127.0.0.1:8600) and
# dnsmasq (127.0.0.1:5353) serving the same names. Needs: dnsperf, dnsmasq (Debian packages).
set -euo pipefail
cd "$(dirname "$0")"
DURATION=${DURATION:-10}
CLIENTS=${CLIENTS:-4}
for tool in dnsperf dnsmasq; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install dnsperf dnsmasq-base" >&2; exit 1; }
done

dotnet build DnsBenchHost -c Release -v q -o out/host >/dev/null
dotnet out/host/DnsBenchHost.dll 8600 < <(sleep $((DURATION * 3 + 30))) &
HOST=$!
dnsmasq --conf-file=dnsmasq.conf &
MASQ=$!
trap 'kill $HOST $MASQ 2>/dev/null || true' EXIT

for port in 8600 5353; do
  for _ in $(seq 50); do dig +short +time=1 +tries=1 @127.0.0.1 -p $port web.service.consul A >/dev/null 2>&1 && break; sleep 0.2; done
done

run() { # name port
  echo "== $1 (127.0.0.1:$2)"
  # warm-up (JIT), then the measured run
  dnsperf -s 127.0.0.1 -p "$2" -d queries.txt -l 2 -c "$CLIENTS" -q 100 >/dev/null 2>&1 || true
  dnsperf -s 127.0.0.1 -p "$2" -d queries.txt -l "$DURATION" -c "$CLIENTS" -q 100 \
    | grep -E "Queries sent|Queries completed|Queries lost|Response codes|Queries per second|Average Latency|Latency StdDev"
}
run "ConsulDnsServer (DnsBenchHost)" 8600
run "dnsmasq $(dnsmasq --version | head -1 | awk '{print $3}')" 5353
