/// A transfer that produced no HTTP response. Never carries a query string or credentials.
package struct HTTPClientError: Error, Sendable, CustomStringConvertible, Equatable {
    package enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Could not connect (refused, DNS, TLS handshake).
        case connect
        /// Connect or total timeout elapsed.
        case timeout
        /// The connection broke or the server sent something that is not HTTP.
        case transport
        /// The response body exceeded `maxResponseSize`.
        case responseTooLarge
        /// The request could not be built (bad URL, bad header).
        case invalidRequest
        /// The client was shut down.
        case shutdown
        /// Every address the host resolved to was refused by the request's `addressPolicy`; `detail` names the range.
        case forbiddenAddress
    }

    package var kind: Kind
    /// libcurl's `CURLcode` when the failure came from curl, else 0.
    package var curlCode: Int
    /// What was being done, e.g. `GET` or `POST`.
    package var operation: String
    /// Scheme, host and port only (see `RedactedURL`).
    package var url: String
    /// libcurl's error text (contains no URL query: curl does not echo it).
    package var detail: String

    package init(kind: Kind, curlCode: Int = 0, operation: String, url: String, detail: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.operation = operation
        self.url = RedactedURL.redact(url)
        self.detail = detail
    }

    /// What a failed transfer says about the far end, as both clouds' errors (`BCEError`, `TencentError`) take it.
    package enum Failure: Sendable, Equatable {
        /// The connect or total timeout elapsed.
        case timeout
        /// The service could not be reached, or the connection broke (`connect`, `transport`, `forbiddenAddress`).
        case connection
        /// The fault is on this side: the request could not be built, the client was shut down, or the answer was
        /// larger than this client takes.
        case client
    }

    /// This failure's `Failure`: the one place a transport kind is classified for both clouds.
    package var failure: Failure {
        switch kind {
        case .timeout: .timeout
        case .connect, .transport, .forbiddenAddress: .connection
        case .responseTooLarge, .invalidRequest, .shutdown: .client
        }
    }

    package var description: String {
        "HTTPClientError(\(kind.rawValue), curl \(curlCode), \(operation) \(url): \(detail))"
    }
}
