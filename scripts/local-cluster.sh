#!/bin/sh
# Consul's getting-started cluster as local processes, for machines without Docker:
# N servers (default 3) and one client agent, each on its own loopback address
# with the default ports.
#
#   scripts/local-cluster.sh up [N]    start N servers on 127.0.0.2.. and a client after them
#   scripts/local-cluster.sh status    PIDs, then `consul members` against the first server
#   scripts/local-cluster.sh down      stop every agent by its PID (SIGTERM, then SIGKILL)
#
# Environment:
#   CONSUL_BIN             consul executable (default: src/Agent/bin/*/net10.0/consul)
#   LOCAL_CLUSTER_DIR      pids, logs and data dirs (default: <repo>/.local-cluster)
#   LOCAL_CLUSTER_BASE_IP  first server's address (default 127.0.0.2); the others follow
#
# The servers find each other through -retry-join and bootstrap Raft once all N are seen
# (-bootstrap-expect=N); the client joins the same LAN pool and forwards to them.
set -eu

REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE_DIR=${LOCAL_CLUSTER_DIR:-$REPO_ROOT/.local-cluster}
BASE_IP=${LOCAL_CLUSTER_BASE_IP:-127.0.0.2}
IP_PREFIX=${BASE_IP%.*}
IP_FIRST=${BASE_IP##*.}

usage() {
  echo "Usage: $0 up [N] | down | status" >&2
  exit 2
}

die() {
  echo "local-cluster: $*" >&2
  exit 1
}

find_consul() {
  if [ -n "${CONSUL_BIN:-}" ]; then
    [ -x "$CONSUL_BIN" ] || die "CONSUL_BIN=$CONSUL_BIN is not an executable"
    echo "$CONSUL_BIN"
    return
  fi
  for candidate in "$REPO_ROOT"/src/Agent/bin/*/net10.0/consul; do
    if [ -x "$candidate" ]; then
      echo "$candidate"
      return
    fi
  done
  die "no consul binary: build src/Agent (dotnet build src/Agent) or set CONSUL_BIN"
}

# address I: the I-th agent's loopback address (0-based).
address() {
  octet=$((IP_FIRST + $1))
  [ "$octet" -le 254 ] || die "address $IP_PREFIX.$octet is out of range"
  echo "$IP_PREFIX.$octet"
}

# is_running PID: the process lives and (where /proc shows it) is an agent of this
# cluster, so a stale pid file never gets an unrelated process killed.
is_running() {
  kill -0 "$1" 2>/dev/null || return 1
  [ -r "/proc/$1/cmdline" ] || return 0
  tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "-data-dir=$STATE_DIR/"
}

# Agents of the current cluster, one "name address" per line, in start order.
agents() {
  [ -f "$STATE_DIR/agents" ] && cat "$STATE_DIR/agents"
  return 0
}

# start NAME ADDRESS ARGS...: one agent in the background, pid and log in STATE_DIR.
start_agent() {
  name=$1 addr=$2
  shift 2
  mkdir -p "$STATE_DIR/$name"
  nohup "$CONSUL" agent -node="$name" -bind="$addr" -client="$addr" \
    -data-dir="$STATE_DIR/$name" "$@" >"$STATE_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE_DIR/$name.pid"
  echo "$name $addr" >>"$STATE_DIR/agents"
  echo "==> $name on $addr (pid $!), log $STATE_DIR/$name.log"
}

cmd_up() {
  count=${1:-3}
  case "$count" in
    '' | *[!0-9]*) die "N must be a number, got '$count'" ;;
  esac
  [ "$count" -ge 1 ] || die "N must be at least 1"
  for pidfile in "$STATE_DIR"/*.pid; do
    if [ -f "$pidfile" ] && is_running "$(cat "$pidfile")"; then
      die "a cluster is already running (see '$0 status'); run '$0 down' first"
    fi
  done
  CONSUL=$(find_consul)
  mkdir -p "$STATE_DIR"
  rm -f "$STATE_DIR"/*.pid "$STATE_DIR/agents"

  joins=
  i=0
  while [ "$i" -lt "$count" ]; do
    joins="$joins -retry-join=$(address "$i")"
    i=$((i + 1))
  done

  i=0
  while [ "$i" -lt "$count" ]; do
    # shellcheck disable=SC2086 # joins is a list of single-word flags
    start_agent "server$((i + 1))" "$(address "$i")" -server -bootstrap-expect="$count" $joins -ui
    i=$((i + 1))
  done
  # shellcheck disable=SC2086
  start_agent client1 "$(address "$count")" $joins
  echo "==> UI: http://$(address 0):8500/ui"
}

cmd_down() {
  pids=
  for pidfile in "$STATE_DIR"/*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if is_running "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids="$pids $pid"
    fi
    rm -f "$pidfile"
  done
  # Give the agents 20 seconds in all to leave gracefully, then kill what is left.
  waited=0
  for pid in $pids; do
    while is_running "$pid" && [ "$waited" -lt 200 ]; do
      sleep 0.1
      waited=$((waited + 1))
    done
    if is_running "$pid"; then
      kill -KILL "$pid" 2>/dev/null || true
      killed=0
      while is_running "$pid" && [ "$killed" -lt 50 ]; do
        sleep 0.1
        killed=$((killed + 1))
      done
    fi
  done
  rm -f "$STATE_DIR/agents"
  echo "==> stopped:${pids:- nothing was running}"
}

cmd_status() {
  [ -n "$(agents)" ] || die "no cluster in $STATE_DIR (run '$0 up')"
  down=0
  agents | while read -r name addr; do
    pid=$(cat "$STATE_DIR/$name.pid" 2>/dev/null || echo "")
    if [ -n "$pid" ] && is_running "$pid"; then
      echo "$name $addr pid $pid running"
    else
      echo "$name $addr pid ${pid:-?} stopped"
    fi
  done
  first=$(agents | head -n 1 | cut -d' ' -f2)
  CONSUL=$(find_consul)
  "$CONSUL" members -http-addr="http://$first:8500" || down=1
  return "$down"
}

[ $# -ge 1 ] || usage
command=$1
shift
case "$command" in
  up) [ $# -le 1 ] || usage; cmd_up "$@" ;;
  down) [ $# -eq 0 ] || usage; cmd_down ;;
  status) [ $# -le 1 ] || usage; cmd_status ;;
  *) usage ;;
esac
