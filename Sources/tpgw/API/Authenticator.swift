import Foundation
import TPGWCore
import TPGWHTTP

/// A handler that runs for an authenticated caller.
typealias AuthenticatedHandler = @Sendable (HTTPRequest, RequestContext, Principal) async throws -> HTTPResponse

/// Wraps handlers with API-key authentication, scope checks and the per-key rate limit.
struct Authenticator: Sendable {
    let keys: KeyRing
    let limiter: RateLimiter

    /// A handler that requires `scope`. `precondition` checks what makes the request malformed whoever sends it (a
    /// required header): it runs after authentication and before the rate limit is charged, so a malformed request
    /// is answered 400, never 429.
    func require(
        _ scope: Scope, precondition: (@Sendable (HTTPRequest) throws -> Void)? = nil, _ handler: @escaping AuthenticatedHandler
    ) -> HTTPHandler {
        { request, context in
            let principal = try await keys.authenticate(authorization: request.headers["Authorization"], needs: scope)
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
}
