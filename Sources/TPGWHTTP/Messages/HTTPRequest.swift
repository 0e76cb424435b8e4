import TPGWCore

/// A fully received request: head plus the whole body.
package struct HTTPRequest: Sendable {
    package var method: HTTPMethod
    /// The raw request-target as sent (origin form, or absolute form).
    package var target: String
    /// The raw path (no query), not percent-decoded.
    package var path: String
    /// The raw query string after `?`, without the `?`; nil when absent.
    package var query: String?
    package var version: HTTPVersion
    package var headers: HTTPHeaders
    package var body: [UInt8]

    package init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = [:], body: [UInt8] = []
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        let (path, query) = HTTPRequest.split(target: target)
        self.path = path
        self.query = query
    }

    /// Query items, percent-decoded with `+` as space, in order.
    package var queryItems: [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return PercentCoding.queryItems(query)
    }

    /// Whether the connection may stay open after this request (HTTP/1.1 default, 1.0 opt-in).
    package var keepAlive: Bool {
        var close = false
        var keep = false
        for value in headers.values(for: "Connection") {
            for token in value.split(separator: ",") {
                let t = String(HeaderValue.trimmed(token))
                if HTTPHeaders.equalsIgnoringCase(t, "close") { close = true }
                if HTTPHeaders.equalsIgnoringCase(t, "keep-alive") { keep = true }
            }
        }
        if close { return false }
        if version == .http1_1 { return true }
        return keep
    }

    /// Splits a request-target into raw path and query; absolute-form targets lose scheme and authority.
    package static func split(target: String) -> (path: String, query: String?) {
        let utf8 = target.utf8
        var pathStart = utf8.startIndex
        if utf8.first != UInt8(ascii: "/") {
            // Absolute form: skip "scheme://authority".
            var i = utf8.startIndex
            var found = false
            while i != utf8.endIndex {
                if utf8[i] == UInt8(ascii: ":"), utf8.index(i, offsetBy: 3, limitedBy: utf8.endIndex) != nil,
                   utf8[utf8.index(after: i)] == UInt8(ascii: "/"), utf8[utf8.index(i, offsetBy: 2)] == UInt8(ascii: "/") {
                    found = true
                    i = utf8.index(i, offsetBy: 3)
                    break
                }
                i = utf8.index(after: i)
            }
            if found {
                while i != utf8.endIndex && utf8[i] != UInt8(ascii: "/") && utf8[i] != UInt8(ascii: "?") { i = utf8.index(after: i) }
                pathStart = i
            }
        }
        guard let q = utf8[pathStart...].firstIndex(of: UInt8(ascii: "?")) else {
            let path = String(target[pathStart...])
            return (path.isEmpty ? "/" : path, nil)
        }
        let path = String(target[pathStart..<q])
        return (path.isEmpty ? "/" : path, String(target[target.utf8.index(after: q)...]))
    }
}
