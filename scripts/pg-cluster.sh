#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on a free loopback port and prints `export DATABASE_URL=...`.
#   eval "$(bash scripts/pg-cluster.sh start [DIR])"   # DIR defaults to a fresh temporary folder
#   bash scripts/pg-cluster.sh stop DIR
#   bash scripts/pg-cluster.sh bindir             # prints where PostgreSQL's server binaries are; exits 1 if absent
# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user on a folder it owns.
# fsync is off: this cluster is for tests and local runs, never for the statutory record in production.
set -euo pipefail
cmd="${1:-start}"
dir="${2:-}"

pgbin=""
for candidate in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
  if [ -n "$candidate" ] && [ -x "$candidate/initdb" ]; then pgbin="$candidate"; fi
done
if [ -z "$pgbin" ]; then echo "pg-cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; fi

as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    if [ -z "$dir" ]; then dir="$(mktemp -d /tmp/redress-pg.XXXXXX)"; fi
    mkdir -p "$dir"
    if [ "$(id -u)" = "0" ]; then chown postgres: "$dir"; chmod 700 "$dir"; fi
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_owner "$pgbin/initdb" -D "$dir" -U redress --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 \
        || { cat "$dir.initdb.log" >&2; exit 1; }
    fi
    port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
    as_owner "$pgbin/pg_ctl" -D "$dir" -w -t 60 -l "$dir/server.log" start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
    as_owner "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U redress redress 2>/dev/null || true
    echo "export DATABASE_URL=postgres://redress@127.0.0.1:$port/redress"
    echo "export REDRESS_PGDATA=$dir"
    ;;
  bindir) echo "$pgbin" ;;
  stop)
    [ -n "$dir" ] || { echo "usage: pg-cluster.sh stop DIR" >&2; exit 2; }
    as_owner "$pgbin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: pg-cluster.sh start [DIR] | stop DIR | bindir" >&2; exit 2 ;;
esac
