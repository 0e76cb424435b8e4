import Foundation
import TPGWCore
import TPGWHTTP

/// `GET /v1/summary`, `GET /v1/sources`, `POST /v1/refresh`.
struct SummaryRoutes: Sendable {
    let views: ViewStore
    let auth: Authenticator
    let refresh: @Sendable (_ account: String?, _ region: String?) async throws -> [RefreshOutcome]

    func register(on router: Router) {
        router.get("/v1/summary", use: auth.require(.read, summary))
        router.get("/v1/sources", use: auth.require(.read, sources))
        router.post("/v1/refresh", use: auth.require(.write, refreshNow))
    }

    /// GET /v1/summary?groupBy=
    func summary(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        var groupBy = SummaryGroupBy.region
        for (name, value) in request.queryItems {
            guard name == "groupBy" else { throw AppError(.validationFailed, "invalid query", fieldErrors: [.init(field: name, message: "unknown parameter")]) }
            guard let g = SummaryGroupBy(rawValue: value) else {
                throw AppError(.validationFailed, "invalid query", fieldErrors: [.init(field: "groupBy", message: "must be region, account, provider, policy or status")])
            }
            groupBy = g
        }
        return try views.live().summary(groupBy).response(for: request)
    }

    /// GET /v1/sources
    func sources(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        struct Body: Encodable { var items: [SourceStatus] }
        return .json(APIJSON.encode(Body(items: try views.live().sources)))
    }

    /// POST /v1/refresh?account=&region=
    func refreshNow(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        var account: String?
        var region: String?
        for (name, value) in request.queryItems {
            switch name {
            case "account": account = value
            case "region": region = value
            default: throw AppError(.validationFailed, "invalid query", fieldErrors: [.init(field: name, message: "unknown parameter")])
            }
        }
        let outcomes = try await refresh(account, region)
        struct Body: Encodable { var items: [RefreshOutcome] }
        return .json(APIJSON.encode(Body(items: outcomes)))
    }
}

/// The result of polling one source on demand.
struct RefreshOutcome: Sendable, Encodable {
    var account: String
    var region: String
    var outcome: String
    var packages: Int?
    var snapshotsWritten: Int?
    var errorCode: String?
    var errorMessage: String?
    var latencyMs: Int?

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(account, forKey: .account)
        try c.encode(region, forKey: .region)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(packages, forKey: .packages)
        try c.encode(snapshotsWritten, forKey: .snapshotsWritten)
        if let errorCode { try c.encode(["code": errorCode, "message": errorMessage ?? ""], forKey: .error) } else { try c.encodeNil(forKey: .error) }
        try c.encode(latencyMs, forKey: .latencyMs)
    }
    enum CodingKeys: String, CodingKey { case account, region, outcome, packages, snapshotsWritten, error, latencyMs }
}
