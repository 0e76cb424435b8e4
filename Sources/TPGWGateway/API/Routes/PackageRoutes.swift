import Foundation
import TPGWCore
import TPGWHTTP
import TPGWStore

/// `GET /v1/packages`, `GET /v1/packages/{key}`, `GET /v1/packages/{key}/usage`.
struct PackageRoutes: Sendable {
    let views: ViewStore
    let store: PostgresStore
    let auth: Authenticator
    /// The gateway's clock (the default window of a usage series ends now).
    var now: @Sendable () -> Date = { Date() }

    func register(on router: Router) {
        router.get("/v1/packages", use: auth.require(.read, list))
        router.get("/v1/packages/{key}", use: auth.require(.read, get))
        router.get("/v1/packages/{key}/usage", use: auth.require(.read, usage))
    }

    /// GET /v1/packages
    func list(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let query = try PackageQuery.parse(request.queryItems)
        let view = try views.live()
        if let cached = view.firstPage(query) { return cached.response(for: request) }
        return CachedResponse(body: view.renderList(query)).response(for: request)
    }

    /// GET /v1/packages/{key}
    func get(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let key = try Self.packageKey(context)
        guard let package = try views.live().package(key) else { throw AppError(.notFound, "no package \(key)") }
        return .json(APIJSON.encode(package))
    }

    /// GET /v1/packages/{key}/usage?from=&to=&step=
    func usage(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let key = try Self.packageKey(context)
        var errors: [AppError.FieldError] = []
        let now = self.now()
        var step = UsageSeries.Step.hour
        var from: Date?
        var to: Date?
        for (name, value) in request.queryItems {
            switch name {
            case "step":
                if let s = UsageSeries.Step(rawValue: value) { step = s } else { errors.append(.init(field: "step", message: "must be 1h or 1d")) }
            case "from":
                from = RFC3339.parse(value)
                if from == nil { errors.append(.init(field: "from", message: "must be an RFC 3339 time")) }
            case "to":
                to = RFC3339.parse(value)
                if to == nil { errors.append(.init(field: "to", message: "must be an RFC 3339 time")) }
            default:
                errors.append(.init(field: name, message: "unknown parameter"))
            }
        }
        if !errors.isEmpty { throw AppError(.validationFailed, "invalid usage query", fieldErrors: errors) }
        // A range longer than the step allows (31 days of hours, 400 of days) is cut to its latest part, and an empty
        // range (from at or after to) has no points: the answer's `from` and `to` say what was read.
        let end = to ?? now
        let maxSpan: TimeInterval = step == .hour ? 31 * 86400 : 400 * 86400
        let start = min(max(from ?? end.addingTimeInterval(-7 * 86400), end.addingTimeInterval(-maxSpan)), end)
        guard try views.live().package(key) != nil else { throw AppError(.notFound, "no package \(key)") }
        let observations = try await store.usageObservations(key: key, from: start, to: end)
        let series = UsageSeries.make(key: key.description, observations: observations, from: start, to: end, step: step)
        return .json(APIJSON.encode(series))
    }

    static func packageKey(_ context: RequestContext) throws -> PackageKey {
        let raw = try context.parameter("key")
        guard let key = PackageKey(raw) else {
            throw AppError(.invalidArgument, "package key must look like provider:account:region:id, got \(raw.prefix(200))")
        }
        return key
    }
}
