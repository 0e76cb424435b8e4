# Starts and stops a throwaway PostgreSQL cluster. Sourced by scripts.
# Exports TPGW_PG_URL (a database URL), TPGW_PG_DATA, TPGW_PG_LOG, TPGW_PG_CTL_CMD, TPGW_PG_OPTS and TPGW_PG_PORT.
#
# The cluster lives in .data/NAME of the checkout. As root, PostgreSQL runs as the `postgres` user (initdb and pg_ctl
# refuse root), and that user often cannot reach the checkout (a clone under /root, which is 0700): then the cluster
# goes to a fresh `mktemp -d` directory owned by postgres (TPGW_PG_DATA=/tmp/tpgw-pg.XXXXXX/NAME), which
# tpgw_pg_stop removes after copying its server.log to .data/NAME-server.log. Where the log is, is printed either way.

tpgw_pg_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && { echo "$d"; return; }; done
  dirname "$(command -v pg_ctl)"
}

tpgw_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# tpgw_pg_cluster_dir ROOT NAME: makes the directory for the cluster's files and prints it: ROOT/NAME when the user
# that runs PostgreSQL can reach and write it, otherwise NAME in a fresh directory under /tmp that this user owns.
# The unix socket lives there too, so a ROOT too long for a socket path (107 bytes) also goes to /tmp.
tpgw_pg_cluster_dir() {
  local root=$1 name=$2
  mkdir -p "$root/$name" || return 1
  if [ "$(id -u)" -ne 0 ]; then echo "$root/$name"; return; fi
  chown postgres "$root/$name" || return 1
  if [ ${#root} -le 70 ] && runuser -u postgres -- test -x "$root/$name" -a -w "$root/$name" 2>/dev/null; then
    echo "$root/$name"
    return
  fi
  rmdir "$root/$name"
  local tmp
  tmp=$(mktemp -d /tmp/tpgw-pg.XXXXXX) || return 1
  chown postgres "$tmp" && chmod 0700 "$tmp" && mkdir "$tmp/$name" && chown postgres "$tmp/$name" \
    || { rm -rf "$tmp"; return 1; }
  echo "$tmp/$name"
}

# tpgw_pg_start NAME: a fresh cluster named NAME (see above) on a free port, database "tpgw".
tpgw_pg_start() {
  local name=$1 root
  root=$(pwd)/.data
  mkdir -p "$root"
  local bindir; bindir=$(tpgw_pg_bindir)
  local run=()
  # As root, as postgres, from / (the caller's directory may be one postgres cannot enter).
  if [ "$(id -u)" -eq 0 ]; then run=(runuser -u postgres -- env -C /); fi
  # A cluster of this name left by an earlier run that did not stop it (killed): in the checkout, or in /tmp as
  # recorded in .data/NAME.cluster.
  local old=$root/$name
  [ -f "$root/$name.cluster" ] && old=$(cat "$root/$name.cluster")
  if [ -d "$old" ]; then
    "${run[@]}" "$bindir/pg_ctl" -D "$old" -m immediate stop >/dev/null 2>&1 || true
    case $old in /tmp/tpgw-pg.*/"$name") rm -rf "$(dirname "$old")" ;; *) rm -rf "$old" ;; esac
  fi
  rm -rf "${root:?}/$name" "$root/$name.cluster"
  TPGW_PG_DATA=$(tpgw_pg_cluster_dir "$root" "$name") || { echo "cannot make a directory for PostgreSQL" >&2; return 1; }
  TPGW_PG_TMP=
  [ "$TPGW_PG_DATA" = "$root/$name" ] || TPGW_PG_TMP=$(dirname "$TPGW_PG_DATA")
  TPGW_PG_NAME=$name
  TPGW_PG_ROOT=$root
  TPGW_PG_LOG=$TPGW_PG_DATA/server.log
  if [ -n "$TPGW_PG_TMP" ]; then
    echo "$TPGW_PG_DATA" >"$root/$name.cluster"
    echo "   PostgreSQL runs as postgres, cannot reach $root: cluster in $TPGW_PG_DATA (log: $TPGW_PG_LOG," \
      "copied to .data/$name-server.log and removed on stop)" >&2
  fi
  # initdb's output is written by this shell, so its log stays in the checkout.
  "${run[@]}" "$bindir/initdb" -D "$TPGW_PG_DATA" -U postgres --auth=trust -E UTF8 --no-locale >"$root/$name-initdb.log" 2>&1 \
    || { cat "$root/$name-initdb.log" >&2; tpgw_pg_cleanup; return 1; }
  local port; port=$(tpgw_free_port)
  TPGW_PG_CTL_CMD="${run[*]} $bindir/pg_ctl -D $TPGW_PG_DATA -l $TPGW_PG_LOG -w -t 60"
  TPGW_PG_OPTS="-p $port -k $TPGW_PG_DATA -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  $TPGW_PG_CTL_CMD -o "$TPGW_PG_OPTS" start >/dev/null || { cat "$TPGW_PG_LOG" >&2; tpgw_pg_cleanup; return 1; }
  "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt -c "CREATE DATABASE tpgw" >/dev/null
  TPGW_PG_URL="postgres://postgres@127.0.0.1:$port/tpgw"
  TPGW_PG_PORT=$port
  export TPGW_PG_URL TPGW_PG_DATA TPGW_PG_LOG TPGW_PG_CTL_CMD TPGW_PG_OPTS TPGW_PG_PORT
}

# Removes a temporary cluster directory (after keeping its server.log in .data/). Nothing to do for .data/NAME.
tpgw_pg_cleanup() {
  [ -n "${TPGW_PG_TMP:-}" ] || return 0
  case $TPGW_PG_TMP in /tmp/tpgw-pg.*) ;; *) return 0 ;; esac
  [ -f "$TPGW_PG_LOG" ] && cp "$TPGW_PG_LOG" "$TPGW_PG_ROOT/$TPGW_PG_NAME-server.log" 2>/dev/null
  rm -rf "$TPGW_PG_TMP" "$TPGW_PG_ROOT/$TPGW_PG_NAME.cluster"
  TPGW_PG_TMP=
}

tpgw_pg_stop() {
  if [ -n "${TPGW_PG_CTL_CMD:-}" ]; then
    $TPGW_PG_CTL_CMD -m fast stop >/dev/null 2>&1 || $TPGW_PG_CTL_CMD -m immediate stop >/dev/null 2>&1 || true
  fi
  tpgw_pg_cleanup
}
