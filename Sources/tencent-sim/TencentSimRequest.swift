/// A request as the simulator sees it, independent of the HTTP server type.
package struct TencentSimRequest: Sendable {
    package var method: String
    package var path: String
    /// The raw query string without `?`.
    package var rawQuery: String
    package var headers: [(String, String)]
    package var body: [UInt8]

    package init(method: String, path: String, rawQuery: String, headers: [(String, String)], body: [UInt8]) {
        self.method = method
        self.path = path
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
    }

    func header(_ name: String) -> String? {
        let l = name.lowercased()
        return headers.first { $0.0.lowercased() == l }?.1
    }
}
