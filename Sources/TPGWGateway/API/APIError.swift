import TPGWCore
import TPGWHTTP
import TPGWStore

/// The one place where `AppError.Code` becomes an HTTP status and an RFC 9457 problem body.
enum APIError {
    static func status(for code: AppError.Code) -> HTTPStatus {
        switch code {
        case .invalidArgument: .badRequest
        case .validationFailed: .unprocessableContent
        case .notFound: .notFound
        case .conflict: .conflict
        case .inProgress: .conflict
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .rateLimited: .tooManyRequests
        case .payloadTooLarge: .payloadTooLarge
        case .upstreamUnavailable: .serviceUnavailable
        case .upstreamRejected: .badGateway
        case .unavailable: .serviceUnavailable
        case .internal: .internalServerError
        }
    }

    /// The problem+json response for an application error.
    static func response(for error: AppError, requestID: String, headers: HTTPHeaders = [:]) -> HTTPResponse {
        let status = status(for: error.code)
        let body = HTTPProblem.render(
            status: status, code: error.code.rawValue, detail: error.message, requestID: requestID,
            errors: error.fieldErrors.map { ($0.field, $0.message) })
        var response = HTTPResponse(status: status, headers: headers, body: body)
        response.headers.replaceOrAdd("Content-Type", "application/problem+json")
        return response
    }
}

/// Renders thrown `AppError`s as problem+json; logs their underlying cause with the request id.
///
/// A `PostgresError` that reaches the edge is mapped here, once, with `PostgresError.appError`: a database that is
/// down, unreachable, shutting down or out of connections is `503` with code `unavailable` on every route, never a
/// `500`, whichever route or middleware ran the query.
struct APIErrorMiddleware: HTTPMiddleware {
    func handle(_ request: HTTPRequest, _ context: RequestContext, next: HTTPHandler) async throws -> HTTPResponse {
        do {
            return try await next(request, context)
        } catch let error as AppError {
            return Self.response(for: error, context)
        } catch let error as PostgresError {
            return Self.response(for: error.appError, context)
        }
    }

    private static func response(for error: AppError, _ context: RequestContext) -> HTTPResponse {
        if let underlying = error.underlying {
            context.logger.warning("request failed", metadata: ["error.code": error.code.rawValue, "error": "\(underlying)"])
        }
        // `retryAfter` travels as a field error of rateLimited and inProgress errors: it becomes the header, not body text.
        if error.code == .rateLimited || error.code == .inProgress,
           let retry = error.fieldErrors.first(where: { $0.field == "retryAfter" })?.message {
            return APIError.response(for: AppError(error.code, error.message), requestID: context.requestID, headers: ["Retry-After": retry])
        }
        return APIError.response(for: error, requestID: context.requestID)
    }
}
