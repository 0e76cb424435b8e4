/// An HTTP request to send, fully formed by a pure formatter; the dispatcher only transmits it.
package struct OutgoingRequest: Sendable, Equatable, CustomStringConvertible {
    package var method: String
    /// May carry tokens and signatures in its query: log ``redactedURL`` instead.
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

    package var redactedURL: String { Self.redact(url) }

    /// Scheme, host and path only; query, fragment and user info dropped (webhook URLs carry tokens there).
    package static func redact(_ url: String) -> String {
        var s = Substring(url)
        if let cut = s.firstIndex(where: { $0 == "?" || $0 == "#" }) { s = s[..<cut] }
        if let scheme = s.range(of: "://") {
            let rest = s[scheme.upperBound...]
            let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            if let at = rest[..<hostEnd].lastIndex(of: "@") {
                s = s[..<scheme.upperBound] + rest[rest.index(after: at)...]
            }
        }
        return String(s) + (s.count < url.count ? "?***" : "")
    }

    /// Method, redacted URL, header names and body size; no secrets.
    package var description: String {
        "\(method) \(redactedURL) headers=[\(headers.map(\.name).joined(separator: ","))] body=\(body.count)B"
    }
}
