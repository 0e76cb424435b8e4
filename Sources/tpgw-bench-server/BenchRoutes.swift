import Foundation
import TPGWHTTP

/// The benchmark routes. Kept out of top-level code on purpose: closures written in `main.swift` are
/// main-actor isolated, which would hop every request through the main thread.
enum BenchRoutes {
    static let summary = SummaryFixture.summary
    static let cached: [UInt8] = Array(try! JSONEncoder().encode(SummaryFixture.summary))

    static func makeRouter(testRoutes: Bool = false) -> Router {
        let router = Router()
        if testRoutes {
            // Used by scripts/test.d/http-signals.sh to have a request in flight during SIGTERM.
            router.get("/test/sleep/{ms}") { _, context in
                let ms = Int(context.parameters["ms"] ?? "") ?? 0
                try await Task.sleep(for: .milliseconds(ms))
                return .text("slept \(ms)")
            }
        }
        router.get("/healthz") { _, _ in .text("ok") }
        // Encoded with JSONEncoder on every request, like the peers.
        router.get("/v1/summary") { _, _ in .json(Array(try JSONEncoder().encode(summary))) }
        // Pre-encoded bytes.
        router.get("/v1/summary-cached") { _, _ in .json(cached) }
        return router
    }
}
