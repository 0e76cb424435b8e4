# Starts and stops a throwaway PostgreSQL cluster under .data/. Sourced by scripts.
# Exports TPGW_PG_URL (a database URL), TPGW_PG_DATA and TPGW_PG_CTL_CMD.

tpgw_pg_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && { echo "$d"; return; }; done
  dirname "$(command -v pg_ctl)"
}

tpgw_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# tpgw_pg_start NAME: a fresh cluster in .data/NAME on a free port, database "tpgw".
tpgw_pg_start() {
  local name=$1 root
  root=$(pwd)/.data
  TPGW_PG_DATA=$root/$name
  local bindir; bindir=$(tpgw_pg_bindir)
  local run=()
  if [ "$(id -u)" -eq 0 ]; then run=(runuser -u postgres --); fi
  mkdir -p "$root"
  [ -d "$TPGW_PG_DATA" ] && { "${run[@]}" "$bindir/pg_ctl" -D "$TPGW_PG_DATA" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$TPGW_PG_DATA"; }
  mkdir -p "$TPGW_PG_DATA"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$root" "$TPGW_PG_DATA"; fi
  "${run[@]}" "$bindir/initdb" -D "$TPGW_PG_DATA" -U postgres --auth=trust -E UTF8 --no-locale >"$root/$name-initdb.log" 2>&1 \
    || { cat "$root/$name-initdb.log" >&2; return 1; }
  local port; port=$(tpgw_free_port)
  TPGW_PG_CTL_CMD="${run[*]} $bindir/pg_ctl -D $TPGW_PG_DATA -l $TPGW_PG_DATA/server.log -w -t 60"
  TPGW_PG_OPTS="-p $port -k $TPGW_PG_DATA -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  $TPGW_PG_CTL_CMD -o "$TPGW_PG_OPTS" start >/dev/null || { cat "$TPGW_PG_DATA/server.log" >&2; return 1; }
  "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt -c "CREATE DATABASE tpgw" >/dev/null
  TPGW_PG_URL="postgres://postgres@127.0.0.1:$port/tpgw"
  TPGW_PG_PORT=$port
  export TPGW_PG_URL TPGW_PG_DATA TPGW_PG_CTL_CMD TPGW_PG_OPTS TPGW_PG_PORT
}

tpgw_pg_stop() {
  [ -n "${TPGW_PG_CTL_CMD:-}" ] && $TPGW_PG_CTL_CMD -m fast stop >/dev/null 2>&1 || true
}
