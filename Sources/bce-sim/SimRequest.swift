import TPGWCore

/// A request as the simulator sees it, independent of the HTTP server type.
struct SimRequest: Sendable {
    var method: String
    /// The path as sent (may contain `%XX`).
    var path: String
    /// The raw query string without `?`.
    var rawQuery: String
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        let l = name.lowercased()
        return headers.first { $0.0.lowercased() == l }?.1
    }

    /// Decoded query items in order.
    var queryItems: [(String, String)] {
        guard !rawQuery.isEmpty else { return [] }
        return rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { part in
            if let eq = part.firstIndex(of: "=") {
                return (PercentCoding.decode(part[..<eq]), PercentCoding.decode(part[part.index(after: eq)...]))
            }
            return (PercentCoding.decode(part), "")
        }
    }

    func query(_ name: String) -> String? { queryItems.first { $0.0 == name }?.1 }
}
