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
        return PercentDecoding.queryItems(query)
    }

    /// The first value of query item `name`, decoded.
    package func queryValue(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// Whether the connection may stay open after this request (HTTP/1.1 default, 1.0 opt-in).
    package var keepAlive: Bool {
        var close = false
        var keep = false
        for value in headers.values(for: "Connection") {
            for token in value.split(separator: ",") {
                let t = token.trimmingSpaces
                if HTTPHeaders.equalsIgnoringCase(t, "close") { close = true }
                if HTTPHeaders.equalsIgnoringCase(t, "keep-alive") { keep = true }
            }
        }
        if close { return false }
        if version == .http1_1 { return true }
        return keep
    }

    /// The body decoded as UTF-8 (lossy).
    package var bodyString: String { String(decoding: body, as: UTF8.self) }

    /// Splits a request-target into raw path and query; absolute-form targets lose scheme and authority.
    package static func split(target: String) -> (path: String, query: String?) {
        var rest = Substring(target)
        if !rest.hasPrefix("/"), let schemeEnd = rest.range(of: "://") {
            let afterScheme = rest[schemeEnd.upperBound...]
            if let slash = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) {
                rest = afterScheme[slash...]
            } else {
                rest = "/"
            }
        }
        if let q = rest.firstIndex(of: "?") {
            var path = String(rest[..<q])
            if path.isEmpty { path = "/" }
            return (path, String(rest[rest.index(after: q)...]))
        }
        return (String(rest), nil)
    }
}

extension Substring {
    var trimmingSpaces: String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
