import Foundation
import TPGWCore
import TPGWHTTP

/// A handler that runs for an authenticated caller.
typealias AuthenticatedHandler = @Sendable (HTTPRequest, RequestContext, Principal) async throws -> HTTPResponse

/// Wraps handlers with API-key authentication, scope checks, the per-key rate limit and the per-address limit
/// on failed authentications; and gates request bodies on the key before they are read (`gate`).
package struct Authenticator: Sendable {
    let keys: KeyRing
    let limiter: RateLimiter
    let failures: FailedAuthLimiter

    package init(keys: KeyRing, limiter: RateLimiter, failures: FailedAuthLimiter = FailedAuthLimiter()) {
        self.keys = keys
        self.limiter = limiter
        self.failures = failures
    }

    /// A handler that requires `scope`. `precondition` checks what makes the request malformed whoever sends it (a
    /// required header): it runs after authentication and before the rate limit is charged, so a malformed request
    /// is answered 400, never 429.
    func require(
        _ scope: Scope, precondition: (@Sendable (HTTPRequest) throws -> Void)? = nil, _ handler: @escaping AuthenticatedHandler
    ) -> HTTPHandler {
        { request, context in
            let address = context.remoteHost
            let now = Date()
            if let wait = failures.wait(address, now: now) { throw FailedAuthLimiter.tooManyFailures(wait: wait) }
            let principal: Principal
            do {
                principal = try await keys.authenticate(authorization: request.headers["Authorization"], needs: scope, now: now)
            } catch let error as AppError where error.code == .unauthorized {
                failures.recordFailure(address, now: now)
                throw error
            }
            try precondition?(request)
            if let wait = limiter.take("key:\(principal.keyID)") {
                throw AppError(.rateLimited, "rate limit exceeded for key \"\(principal.name)\"; retry after \(Int(wait.rounded(.up))) s",
                               fieldErrors: [.init(field: "retryAfter", message: "\(max(1, Int(wait.rounded(.up))))")])
            }
            var context = context
            context.attributes["auth.key"] = principal.name
            return try await handler(request, context, principal)
        }
    }

    /// A handler open to anyone when `isPublic`, else requiring `scope`.
    func optional(_ isPublic: Bool, _ scope: Scope, _ handler: @escaping HTTPHandler) -> HTTPHandler {
        isPublic ? handler : require(scope) { request, context, _ in try await handler(request, context) }
    }

    /// Whether a request path needs a key whatever its method (everything under `/v1`). The router decodes
    /// percent-escapes in literal segments, so `/%76%31/…` is `/v1/…` here too.
    static func needsKey(path: String) -> Bool {
        if path == "/v1" || path.hasPrefix("/v1/") { return true }
        guard path.utf8.contains(UInt8(ascii: "%")), let first = RoutePattern.split(path).first else { return false }
        return PercentCoding.decode(first, plusAsSpace: false) == "v1"
    }

    /// The server's `HeadGate`: a request that announces a body on a route needing a key is let through only with
    /// a key known in memory, before its body is read. A key not in memory may be new (created on another
    /// replica): a background reload is started (at most one a second) and the request is refused, so the
    /// client's retry finds it. Scopes are checked later, by the handler, as for any request.
    func gate(_ head: HTTPRequestHead, now: Date = Date()) -> HTTPProblem? {
        guard Authenticator.needsKey(path: head.path) else { return nil }
        let address = RequestContext.host(ofAddress: head.remoteAddress)
        if let wait = failures.wait(address, now: now) {
            return Authenticator.problem(FailedAuthLimiter.tooManyFailures(wait: wait), retryAfter: Int(max(1, wait.rounded(.up))))
        }
        let error: AppError
        do {
            let hash = try KeyRing.keyHash(authorization: head.headers["Authorization"])
            if keys.lookup(hash) != nil { return nil }
            keys.reloadForUnknownKey(now: now)
            error = AppError(.unauthorized, "unknown or revoked API key (a key created moments ago may take a second to be known: retry)")
        } catch let parseError {
            error = parseError
        }
        failures.recordFailure(address, now: now)
        return Authenticator.problem(error, retryAfter: nil)
    }

    /// The problem+json the API error middleware would render for `error`, as the server sends it.
    private static func problem(_ error: AppError, retryAfter: Int?) -> HTTPProblem {
        var headers: HTTPHeaders = [:]
        if let retryAfter { headers.add("Retry-After", String(retryAfter)) }
        return HTTPProblem(APIError.status(for: error.code), code: error.code.rawValue, detail: error.message, headers: headers)
    }
}
