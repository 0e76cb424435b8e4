import Foundation
import TPGWCore
import TPGWHTTP

/// `GET /v1/forecast/accuracy`: how the forecasts would have done on this gateway's own stored history.
struct ForecastRoutes: Sendable {
    let runner: ForecastAccuracyRunner
    let auth: Authenticator
    let now: @Sendable () -> Date

    func register(on router: Router) {
        router.get("/v1/forecast/accuracy", use: auth.require(.read, accuracy))
    }

    /// GET /v1/forecast/accuracy?days=&horizon=&confidence=
    func accuracy(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let query = try ForecastAccuracyQuery(queryItems: request.queryItems)
        let result = try await runner.run(query, now: now())
        return .json(APIJSON.encode(result))
    }
}
