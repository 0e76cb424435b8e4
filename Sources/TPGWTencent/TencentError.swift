import Foundation
import TPGWCore

/// Every failure of a Tencent VPC call. Never contains secrets (the key, the token, the Authorization).
package struct TencentError: Error, Sendable, CustomStringConvertible, Equatable {
    package enum Kind: String, Sendable, Equatable {
        /// The API answered with `Response.Error` (see `code`).
        case service
        /// A non-200 HTTP status: a gateway in front of the API failed (treated like a connection error).
        case httpStatus
        /// The answer is not JSON or has no `Response` object (a gateway's page, a cut body).
        case malformed
        /// The answer is JSON of the wrong shape (names the field).
        case decoding
        /// Connect or total timeout.
        case timeout
        /// Could not connect, or the connection broke.
        case connection
        /// The request could not be built or sent (invalid order or filter, bad URL, client shut down).
        case client
        /// The list did not settle: `TotalCount` kept changing, or the pages did not add up, walk after walk.
        case unsettled
        /// A create whose outcome is unknown (timeout, dropped connection, non-200, internal error): it may have
        /// bought the packages. `attemptedAt` and `order` say what to look for before trying again.
        case ambiguous
        /// The operation does not exist upstream (there is no price API).
        case unsupported
        /// The source's circuit breaker is open; nothing was sent.
        case circuitOpen
    }

    package var kind: Kind
    package var source: SourceID
    /// `describe`, `create`, `quote`.
    package var operation: String
    /// `Response.Error.Code`, e.g. `RequestLimitExceeded.UinLimitExceeded`.
    package var code: String?
    package var message: String
    package var requestID: String?
    /// The HTTP status when it was not 200.
    package var httpStatus: Int?
    package var curlCode: Int?
    /// For `ambiguous`: when the one create request was sent, and what it ordered.
    package var attemptedAt: Date?
    package var order: TencentPurchaseOrder?

    package init(
        kind: Kind, source: SourceID, operation: String, code: String? = nil, message: String, requestID: String? = nil,
        httpStatus: Int? = nil, curlCode: Int? = nil, attemptedAt: Date? = nil, order: TencentPurchaseOrder? = nil
    ) {
        self.kind = kind
        self.source = source
        self.operation = operation
        self.code = code
        self.message = message
        self.requestID = requestID
        self.httpStatus = httpStatus
        self.curlCode = curlCode
        self.attemptedAt = attemptedAt
        self.order = order
    }

    /// The retry class of this error.
    package var errorClass: TencentErrorClass {
        switch kind {
        case .service: TencentErrorClass.classify(code: code ?? "")
        case .httpStatus, .malformed, .timeout, .connection: .transient
        case .decoding, .client, .unsettled, .ambiguous, .unsupported, .circuitOpen: .other
        }
    }

    /// Whether the source looked unavailable (what opens its circuit breaker): transport failures, non-200, answers
    /// that are not JSON, internal errors and throttling past the retries. An API that answered with a refusal
    /// (auth, region, parameters) is available.
    package var isUnavailability: Bool {
        switch kind {
        case .circuitOpen: false
        default: errorClass == .transient || errorClass == .throttled
        }
    }

    /// The user-safe error for the API layer.
    package var appError: AppError {
        let where_ = "\(source.account)/\(source.region)"
        let text = "Tencent \(operation) in \(where_): " + (code ?? kind.rawValue) + (message.isEmpty ? "" : " - \(message)")
        switch kind {
        case .timeout, .connection, .httpStatus, .malformed, .decoding, .unsettled, .circuitOpen:
            return AppError(.upstreamUnavailable, text, underlying: self)
        case .client:
            return AppError(.internal, text, underlying: self)
        case .ambiguous:
            return AppError(.upstreamUnavailable, text + " (the purchase may have happened: list the region before retrying)", underlying: self)
        case .unsupported:
            return AppError(.upstreamRejected, text, underlying: self)
        case .service:
            switch errorClass {
            case .throttled: return AppError(.rateLimited, text, underlying: self)
            case .transient: return AppError(.upstreamUnavailable, text, underlying: self)
            case .notFound: return AppError(.notFound, text, underlying: self)
            default: return AppError(.upstreamRejected, text, underlying: self)
            }
        }
    }

    package var description: String {
        var s = "TencentError(\(kind.rawValue), \(source), \(operation)"
        if let httpStatus { s += ", HTTP \(httpStatus)" }
        if let code { s += ", \(code)" }
        if let requestID { s += ", RequestId \(requestID)" }
        if let attemptedAt { s += ", attempted \(RFC3339.format(attemptedAt))" }
        return s + ": \(message))"
    }
}
