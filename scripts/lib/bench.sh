# Shared by bench/*/run.sh and bench/upstream/*.sh, which run `tpgw-bench <benchmark>` (bench/Sources). Sourced.

# tpgw_bench_build [release|debug]: builds tpgw-bench and the simulators (an ordinary build over the libraries'
# `package` API, no -enable-testing) unless TPGW_BENCH_SKIP_BUILD=1, and sets TPGW_BENCH_BIN to the directory
# holding them. Also creates bench/results.
tpgw_bench_build() {
  local config=${1:-release}
  case "$config" in release|debug) ;; *) echo "usage: $0 [debug|release]" >&2; return 2 ;; esac
  if [ "${TPGW_BENCH_SKIP_BUILD:-0}" != 1 ]; then
    for product in tpgw-bench bce-sim tencent-sim; do
      swift build -c "$config" --product "$product" 2>&1 | tail -1
    done
  fi
  TPGW_BENCH_BIN=$(swift build -c "$config" --show-bin-path)
  mkdir -p bench/results
}

# tpgw_bench_run NAME: runs `tpgw-bench NAME` from the last tpgw_bench_build.
tpgw_bench_run() {
  "$TPGW_BENCH_BIN/tpgw-bench" "$@"
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
