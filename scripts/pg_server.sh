#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for tests, no system service:
#   scripts/pg_server.sh start DIR   makes a cluster in DIR/data (once), starts it, prints its URI
#   scripts/pg_server.sh stop DIR    stops it; DIR stays (the caller removes it)
# It listens only on a unix socket in DIR, never on TCP. Durability is off (fsync, synchronous
# commit): a test's database is thrown away, and the disk is shared with the build.
# Starting a server that runs already only prints its URI again. Every wait is bounded.
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
wait_seconds=30

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}
(($# == 2)) || usage
command=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd -P)
data=$dir/data
# A unix socket path holds at most 107 bytes; the server's own name for it takes 13.
((${#dir} <= 90)) || { echo "pg_server: $dir is too long for a socket path" >&2; exit 1; }

# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
  chown postgres:postgres "$dir"
fi
"${as_owner[@]}" test -w "$dir" -a -x "$dir" ||
  { echo "pg_server: the server's user cannot write $dir (or reach it)" >&2; exit 1; }

pg_ctl() { "${as_owner[@]}" "$bin/pg_ctl" -D "$data" "$@"; }
running() { pg_ctl status >/dev/null 2>&1; }

case "$command" in
  start)
    # Two starts on one DIR at once: the second waits for the first, then finds it running.
    exec 9>"$dir/.start.lock"
    flock -w "$wait_seconds" 9 || { echo "pg_server: $dir is locked by another start" >&2; exit 1; }
    if [ ! -f "$data/PG_VERSION" ]; then
      rm -rf "$data"  # what a start that died in initdb left behind
      # C collation: text orders byte by byte, as in SQLite. Local connections only, so trust.
      "${as_owner[@]}" "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C \
        --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
      cat >>"$data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    fi
    if ! running; then
      # 9>&-: the server must not inherit the lock, or it would hold it as long as it runs.
      pg_ctl start -w -t "$wait_seconds" -l "$dir/server.log" >/dev/null 9>&- ||
        { tail -n 20 "$dir/server.log" >&2; exit 1; }
    fi
    echo "postgresql:///postgres?host=$dir&user=postgres"
    ;;
  stop)
    if [ -f "$data/PG_VERSION" ] && running; then
      pg_ctl stop -m fast -w -t "$wait_seconds" >/dev/null
    fi
    ;;
  *) usage ;;
esac
