/// An error whose code and message may be shown to API clients.
///
/// Adapters (store, BCE client, HTTP client) translate their own error types into this one at
/// their boundary; `tpgw/API/APIError.swift` maps `Code` to an HTTP status exactly once.
package struct AppError: Error, Sendable, CustomStringConvertible {
    /// Machine-readable codes; the raw value is what clients see in `code`.
    package enum Code: String, Sendable, CaseIterable {
        case invalidArgument
        case validationFailed
        case notFound
        case conflict
        /// Another request with the same idempotency key is still being processed: retry after `Retry-After`.
        case inProgress
        case unauthorized
        case forbidden
        case rateLimited
        case payloadTooLarge
        case upstreamUnavailable
        case upstreamRejected
        case unavailable
        case `internal`
    }

    /// One field-level problem of a validation failure.
    package struct FieldError: Sendable, Equatable, Codable {
        package var field: String
        package var message: String
        package init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    package var code: Code
    /// User-safe text: never interpolate secrets, SQL or bind values.
    package var message: String
    package var fieldErrors: [FieldError]
    /// Logged by the API layer, never rendered.
    package var underlying: (any Error)?

    package init(_ code: Code, _ message: String, fieldErrors: [FieldError] = [], underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.fieldErrors = fieldErrors
        self.underlying = underlying
    }

    package var description: String { "AppError(\(code.rawValue): \(message))" }
}
