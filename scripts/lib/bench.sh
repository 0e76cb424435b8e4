# Shared by bench/*/run.sh that run a benchmark test. Sourced.

# tpgw_bench_build [release|debug]: builds the test products (release with -enable-testing, so benchmarks can
# reach internal types) and sets TPGW_BENCH_FLAGS to the matching `swift test` flags.
tpgw_bench_build() {
  if [ "${1:-release}" = release ]; then
    swift build -c release --build-tests -Xswiftc -enable-testing 2>&1 | tail -1
    TPGW_BENCH_FLAGS=(-c release -Xswiftc -enable-testing)
  else
    swift build --build-tests 2>&1 | tail -1
    TPGW_BENCH_FLAGS=()
  fi
}

# tpgw_peers_dir: prints a copy of the peer servers (../shared/peers, or $PEERS) under .data/peers, where their
# release builds live and are reused; the shared folder stays untouched (it may be read-only or reset).
tpgw_peers_dir() {
  local src=${PEERS:-$(cd .. && pwd)/shared/peers}
  [ -x "$src/bench.sh" ] || src=/work/shared/peers
  [ -x "$src/bench.sh" ] || { echo "peer servers not found (set PEERS)" >&2; return 1; }
  local copy=.data/peers
  mkdir -p "$copy"
  # Sources only; each copy keeps its own .build.
  (cd "$src" && find . -path '*/.build' -prune -o -type f -print | while read -r f; do
     mkdir -p "$OLDPWD/$copy/$(dirname "$f")"
     cmp -s "$f" "$OLDPWD/$copy/$f" || cp -f "$f" "$OLDPWD/$copy/$f"
   done)
  chmod -R u+w "$copy"
  echo "$(pwd)/$copy"
}
