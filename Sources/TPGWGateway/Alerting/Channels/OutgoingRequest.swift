import TPGWHTTPClient

/// An HTTP request to send, fully formed by a pure formatter; the dispatcher only transmits it.
package struct OutgoingRequest: Sendable, Equatable, CustomStringConvertible {
    package var method: String
    /// May carry tokens in its path and query: log ``redactedURL`` instead.
    package var url: String
    package var headers: [Header]
    package var body: [UInt8]

    package struct Header: Sendable, Equatable {
        package var name: String
        package var value: String
        package init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    package init(method: String = "POST", url: String, headers: [Header], body: [UInt8]) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of the first header called `name` (case-insensitive).
    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Scheme, host and port only (``RedactedURL``): tokens live in paths and queries.
    package var redactedURL: String { RedactedURL.redact(url) }

    /// Method, redacted URL, header names and body size; no secrets.
    package var description: String {
        "\(method) \(redactedURL) headers=[\(headers.map(\.name).joined(separator: ","))] body=\(body.count)B"
    }
}
