import Foundation
import TPGWCore
import TPGWHTTP

/// `GET /metrics` (Prometheus text 0.0.4) and `GET /` (the status page), each open or behind a read key.
struct OpsRoutes: Sendable {
    let ops: OpsRuntime
    let views: ViewStore
    let auth: Authenticator
    let metricsPublic: Bool
    let statusPagePublic: Bool
    let refreshSeconds: Int

    func register(on router: Router) {
        router.get("/metrics", use: auth.optional(metricsPublic, .read, metrics))
        router.get("/", use: auth.optional(statusPagePublic, .read, statusPage))
    }

    /// GET /metrics
    func metrics(_ request: HTTPRequest, _ context: RequestContext) async throws -> HTTPResponse {
        var response = HTTPResponse.bytes(ops.scrape(view: views.current, now: Date()), contentType: MetricsRegistry.contentType)
        response.headers.add("Cache-Control", "no-store")
        return response
    }

    /// GET /
    func statusPage(_ request: HTTPRequest, _ context: RequestContext) async throws -> HTTPResponse {
        let now = Date()
        let body = ops.statusPage(view: views.current, refreshSeconds: refreshSeconds, now: now)
        var response = HTTPResponse.bytes(body, contentType: "text/html; charset=utf-8")
        response.headers.add("Cache-Control", "no-store")
        response.headers.add("X-Content-Type-Options", "nosniff")
        // No script, no external asset: the page needs inline styles and nothing else.
        response.headers.add("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
        return response
    }
}
