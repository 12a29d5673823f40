#!/usr/bin/env bash
# A throw-away PostgreSQL server on loopback, for the storage tests.
#   scripts/postgres.sh start DIR   installs PostgreSQL from Debian if missing, starts a fresh
#                                   server with its data in DIR, prints its SQLAlchemy URL
#   scripts/postgres.sh stop DIR    stops it and removes DIR
set -euo pipefail
action="${1:?start or stop}"
dir="${2:?a data directory}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

as_owner() {
  # PostgreSQL refuses to run as root: run it as the postgres account the package creates.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    if [ -z "$(bindir)" ]; then
      $sudo apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
    fi
    bin="$(bindir)"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U cpwb --auth=trust -E UTF8 >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -o \
      "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null
    echo "postgresql+psycopg://cpwb@127.0.0.1:$port/postgres"
    ;;
  stop)
    bin="$(bindir)"
    if [ -n "$bin" ] && [ -d "$dir/data" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
esac
