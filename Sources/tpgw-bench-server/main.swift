import Foundation
import TPGWCore
import TPGWHTTP

// Benchmark server: the peers' routes on our HTTP server (see bench/http/run.sh).
//   /healthz            -> "ok"
//   /v1/summary         -> the fixture encoded with JSONEncoder on every request
//   /v1/summary-cached  -> the same bytes, encoded once
let port = peerPort()
let summary = SummaryFixture.summary
let cached = Array(try JSONEncoder().encode(summary))

let router = Router()
router.get("/healthz") { _, _ in .text("ok") }
router.get("/v1/summary") { _, _ in
    .json(Array(try JSONEncoder().encode(summary)))
}
router.get("/v1/summary-cached") { _, _ in .json(cached) }

var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: port)
configuration.accessLog = ProcessInfo.processInfo.environment["TPGW_BENCH_ACCESS_LOG"] == "1"
if let threads = ProcessInfo.processInfo.environment["TPGW_BENCH_LOOPS"].flatMap(Int.init) {
    configuration.eventLoopThreads = threads
}
let logger = Logger(label: "tpgw-bench-server", level: .warning)
let server = HTTPServer(configuration: configuration, handler: router.makeHandler(), logger: logger)
SignalWatcher.shutdownOnSignals(server)
let bound = try server.start()
note("tpgw-bench-server listening on 127.0.0.1:\(bound)")
try await server.run()
