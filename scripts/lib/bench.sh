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
