import Foundation
import TPGWCore
import TPGWHTTP

/// `GET /metrics` (Prometheus text 0.0.4) and `GET /` (the status page), each open or behind a read key.
package struct OpsRoutes: Sendable {
    let ops: OpsRuntime
    /// The view to serve (the view store's current one in `tpgw serve`).
    let view: @Sendable () -> GatewayView
    let auth: Authenticator
    let metricsPublic: Bool
    let statusPagePublic: Bool
    let refreshSeconds: Int

    package init(
        ops: OpsRuntime, view: @escaping @Sendable () -> GatewayView, auth: Authenticator, metricsPublic: Bool, statusPagePublic: Bool,
        refreshSeconds: Int
    ) {
        self.ops = ops
        self.view = view
        self.auth = auth
        self.metricsPublic = metricsPublic
        self.statusPagePublic = statusPagePublic
        self.refreshSeconds = refreshSeconds
    }

    package func register(on router: Router) {
        router.get("/metrics", use: auth.optional(metricsPublic, .read, metrics))
        router.get("/", use: auth.optional(statusPagePublic, .read, statusPage))
    }

    /// GET /metrics
    func metrics(_ request: HTTPRequest, _ context: RequestContext) async throws -> HTTPResponse {
        var response = HTTPResponse.bytes(ops.scrape(view: view(), now: Date()), contentType: MetricsRegistry.contentType)
        response.headers.add("Cache-Control", "no-store")
        return response
    }

    /// GET /
    func statusPage(_ request: HTTPRequest, _ context: RequestContext) async throws -> HTTPResponse {
        let now = Date()
        let body = ops.statusPage(view: view(), refreshSeconds: refreshSeconds, now: now)
        var response = HTTPResponse.bytes(body, contentType: "text/html; charset=utf-8")
        response.headers.add("Cache-Control", "no-store")
        response.headers.add("X-Content-Type-Options", "nosniff")
        // No script, no external asset: the page needs inline styles and nothing else.
        response.headers.add("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
        return response
    }
}
