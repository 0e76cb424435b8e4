/// Why a request could not be parsed. Every case leaves the stream unreliable: the connection is closed after the answer.
package struct HTTPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Malformed request line, header, chunk, or framing (including smuggling attempts).
        case badRequest
        /// Request line longer than the limit.
        case uriTooLong
        /// Header block (or trailers) larger than the byte or field-count limit.
        case headersTooLarge
        /// Declared or received body larger than the limit.
        case payloadTooLarge
        /// A syntactically valid but unsupported method or transfer coding.
        case notImplemented
        /// A well-formed version other than HTTP/1.0 or HTTP/1.1.
        case versionNotSupported
    }

    package var kind: Kind
    /// User-safe detail (never echoes request bytes).
    package var detail: String

    package init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// The `code` used in problem+json.
    package var code: String { kind.rawValue }

    package var status: HTTPStatus {
        switch kind {
        case .badRequest: .badRequest
        case .uriTooLong: .uriTooLong
        case .headersTooLarge: .requestHeaderFieldsTooLarge
        case .payloadTooLarge: .payloadTooLarge
        case .notImplemented: .notImplemented
        case .versionNotSupported: .httpVersionNotSupported
        }
    }

    package var description: String { "HTTPParseError(\(kind.rawValue): \(detail))" }
}
