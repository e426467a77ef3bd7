#!/bin/sh
# Entrypoint with the official consul image's behaviour:
# - no arguments: `agent -dev -client 0.0.0.0` (the image's CMD);
# - a first argument starting with "-" is passed to `consul agent`;
# - `agent` gets -data-dir, -config-dir and the bind/client addresses of the interfaces
#   named by CONSUL_BIND_INTERFACE / CONSUL_CLIENT_INTERFACE;
# - CONSUL_LOCAL_CONFIG is written to the config dir as local.json;
# - other consul subcommands run as consul; anything else runs as is;
# - as root, the volumes are given to the consul user and the process drops to it;
#   CONSUL_ALLOW_PRIVILEGED_PORTS grants the binary the right to bind port 53.
set -e

CONSUL_DATA_DIR=${CONSUL_DATA_DIR:-/consul/data}
CONSUL_CONFIG_DIR=${CONSUL_CONFIG_DIR:-/consul/config}
CONSUL_BIN=${CONSUL_BIN:-/bin/consul}

# interface_ip NAME: first IPv4 address of the interface, empty when it has none.
interface_ip() {
  ip -o -4 addr list "$1" 2>/dev/null | head -n 1 | awk '{print $4}' | cut -d/ -f1
}

CONSUL_BIND=
if [ -n "$CONSUL_BIND_INTERFACE" ]; then
  CONSUL_BIND_ADDRESS=$(interface_ip "$CONSUL_BIND_INTERFACE")
  if [ -z "$CONSUL_BIND_ADDRESS" ]; then
    echo "Could not find IP for interface '$CONSUL_BIND_INTERFACE', exiting"
    exit 1
  fi
  CONSUL_BIND="-bind=$CONSUL_BIND_ADDRESS"
  echo "==> Found address '$CONSUL_BIND_ADDRESS' for interface '$CONSUL_BIND_INTERFACE', setting bind option..."
fi

CONSUL_CLIENT=
if [ -n "$CONSUL_CLIENT_INTERFACE" ]; then
  CONSUL_CLIENT_ADDRESS=$(interface_ip "$CONSUL_CLIENT_INTERFACE")
  if [ -z "$CONSUL_CLIENT_ADDRESS" ]; then
    echo "Could not find IP for interface '$CONSUL_CLIENT_INTERFACE', exiting"
    exit 1
  fi
  CONSUL_CLIENT="-client=$CONSUL_CLIENT_ADDRESS"
  echo "==> Found address '$CONSUL_CLIENT_ADDRESS' for interface '$CONSUL_CLIENT_INTERFACE', setting client option..."
fi

if [ -n "$CONSUL_LOCAL_CONFIG" ]; then
  echo "$CONSUL_LOCAL_CONFIG" > "$CONSUL_CONFIG_DIR/local.json"
fi

# A first argument that is a flag is meant for `consul agent`.
case "$1" in
  -*) set -- agent "$@" ;;
esac

case "$1" in
  agent)
    shift
    # shellcheck disable=SC2086 # the bind/client options are empty or one word
    set -- consul agent -data-dir="$CONSUL_DATA_DIR" -config-dir="$CONSUL_CONFIG_DIR" $CONSUL_BIND $CONSUL_CLIENT "$@"
    ;;
  acl|catalog|config|connect|debug|event|exec|force-leave|info|intention|join|keygen|keyring|kv|leave|lock|login|logout|maint|members|monitor|operator|peering|reload|resource|rtt|services|snapshot|tls|validate|version|watch)
    set -- consul "$@"
    ;;
esac

if [ "$1" = consul ]; then
  shift
  set -- "$CONSUL_BIN" "$@"
  if [ "$(id -u)" = 0 ] && [ -z "${CONSUL_DISABLE_PERM_MGMT+x}" ]; then
    CONSUL_UID=${CONSUL_UID:-$(id -u consul)}
    CONSUL_GID=${CONSUL_GID:-$(id -g consul)}
    # Bind-mounted volumes usually arrive owned by root: hand them to consul.
    for dir in "$CONSUL_DATA_DIR" "$CONSUL_CONFIG_DIR"; do
      if [ -d "$dir" ] && [ "$(stat -c %u "$dir")" != "$CONSUL_UID" ]; then
        chown "$CONSUL_UID:$CONSUL_GID" "$dir"
      fi
    done
    if [ -n "${CONSUL_ALLOW_PRIVILEGED_PORTS+x}" ]; then
      setcap "cap_net_bind_service=+ep" "$(readlink -f "$CONSUL_BIN")"
    fi
    set -- setpriv --reuid="$CONSUL_UID" --regid="$CONSUL_GID" --init-groups "$@"
  fi
fi

exec "$@"
