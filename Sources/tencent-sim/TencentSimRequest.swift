/// A request as the simulator sees it, independent of the HTTP server type.
struct TencentSimRequest: Sendable {
    var method: String
    var path: String
    /// The raw query string without `?`.
    var rawQuery: String
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        let l = name.lowercased()
        return headers.first { $0.0.lowercased() == l }?.1
    }
}
