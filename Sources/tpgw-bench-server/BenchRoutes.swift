import Foundation
import TPGWHTTP

/// The benchmark routes. Kept out of top-level code on purpose: closures written in `main.swift` are
/// main-actor isolated, which would hop every request through the main thread.
enum BenchRoutes {
    static let summary = SummaryFixture.summary
    static let cached: [UInt8] = Array(try! JSONEncoder().encode(SummaryFixture.summary))

    static func makeRouter() -> Router {
        let router = Router()
        router.get("/healthz") { _, _ in .text("ok") }
        // Encoded with JSONEncoder on every request, like the peers.
        router.get("/v1/summary") { _, _ in .json(Array(try JSONEncoder().encode(summary))) }
        // Pre-encoded bytes.
        router.get("/v1/summary-cached") { _, _ in .json(cached) }
        return router
    }
}
