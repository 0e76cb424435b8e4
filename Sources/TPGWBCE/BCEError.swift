import TPGWCore

/// Every failure of a BCE call: a BCE error response, a transport failure, an undecodable
/// response, or a source skipped by its circuit breaker. Never contains secrets or query strings.
package struct BCEError: Error, Sendable, CustomStringConvertible, Equatable {
    package enum Kind: String, Sendable, Equatable {
        /// The service answered with a non-2xx status (see `status`, `code`).
        case service
        /// Connect or total timeout.
        case timeout
        /// Could not connect, or the connection broke.
        case connection
        /// The response was not what the API documents (names the field).
        case decoding
        /// The source's circuit breaker is open; nothing was sent.
        case circuitOpen
        /// The request could not be built or sent (bad endpoint URL, response too large, shut down).
        case client
    }

    package var kind: Kind
    package var source: SourceID
    /// `list`, `get`, `create`, `price`.
    package var operation: String
    /// HTTP status when the service answered.
    package var status: Int?
    /// BCE's `code`, e.g. `NoSuchObject`.
    package var code: String?
    package var message: String
    /// BCE's `requestId` or the `x-bce-request-id` header.
    package var requestID: String?
    /// The curl code for transport failures.
    package var curlCode: Int?

    package init(
        kind: Kind, source: SourceID, operation: String, status: Int? = nil, code: String? = nil, message: String,
        requestID: String? = nil, curlCode: Int? = nil
    ) {
        self.kind = kind
        self.source = source
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
        self.curlCode = curlCode
    }

    /// True for failures that say the source is unavailable: 5xx, timeouts, connection errors, garbage responses.
    /// These count against the circuit breaker.
    package var isUnavailability: Bool {
        switch kind {
        case .timeout, .connection, .decoding: true
        case .service: (status ?? 0) >= 500
        case .circuitOpen, .client: false
        }
    }

    /// The user-safe error for the API layer.
    package var appError: AppError {
        let where_ = "\(source.account)/\(source.region)"
        switch kind {
        case .decoding:
            // The decoder's message names the field (`packageList: missing`); it holds no secrets.
            return AppError(.upstreamUnavailable, "BCE \(operation) in \(where_) unavailable: decoding: \(message)", underlying: self)
        case .timeout, .connection, .circuitOpen:
            return AppError(.upstreamUnavailable, "BCE \(operation) in \(where_) unavailable: \(kind.rawValue)", underlying: self)
        case .client:
            return AppError(.internal, "BCE \(operation) in \(where_) failed in the client", underlying: self)
        case .service:
            let s = status ?? 0
            let text = "BCE \(operation) in \(where_): \(code ?? "HTTP \(s)")" + (message.isEmpty ? "" : " - \(message)")
            if s >= 500 { return AppError(.upstreamUnavailable, text, underlying: self) }
            switch code {
            case "NoSuchObject": return AppError(.notFound, text, underlying: self)
            case "IdempotentParameterMismatch": return AppError(.conflict, text, underlying: self)
            case "ExceedLimit": return AppError(.upstreamRejected, text, underlying: self)
            default: return AppError(s == 429 ? .rateLimited : .upstreamRejected, text, underlying: self)
            }
        }
    }

    package var description: String {
        var s = "BCEError(\(kind.rawValue), \(source), \(operation)"
        if let status { s += ", HTTP \(status)" }
        if let code { s += ", \(code)" }
        if let requestID { s += ", requestId \(requestID)" }
        return s + ": \(message))"
    }
}
