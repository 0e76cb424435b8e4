import Foundation
import TPGWCore
import TPGWHTTP

// Benchmark server: the peers' routes on our HTTP server (see bench/http/run.sh).
//   /healthz            -> "ok"
//   /v1/summary         -> the fixture encoded with JSONEncoder on every request
//   /v1/summary-cached  -> the same bytes, encoded once
// Environment: TPGW_BENCH_ACCESS_LOG=1 turns the access log on; TPGW_BENCH_LOOPS=N sets loop threads;
// TPGW_BENCH_TEST_ROUTES=1 adds /test/sleep/{ms} (signal-handling test only).
var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: peerPort())
// Above the 10,000 default so `--idle-conns 10000` plus the probe connection all fit.
configuration.maxConnections = 16_000
configuration.accessLog = ProcessInfo.processInfo.environment["TPGW_BENCH_ACCESS_LOG"] == "1"
if let threads = ProcessInfo.processInfo.environment["TPGW_BENCH_LOOPS"].flatMap(Int.init) {
    configuration.eventLoopThreads = threads
}
let server = HTTPServer(
    configuration: configuration, handler: BenchRoutes.makeRouter(testRoutes: ProcessInfo.processInfo.environment["TPGW_BENCH_TEST_ROUTES"] == "1").makeHandler(),
    logger: Logger(label: "tpgw-bench-server", level: .warning))
SignalWatcher.install { await server.shutdown() }
let bound = try server.start()
note("tpgw-bench-server listening on 127.0.0.1:\(bound)")
try await server.run()
