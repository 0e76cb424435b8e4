/// A `host:port` listen address.
struct ListenAddress: Sendable, Equatable {
    var host: String
    var port: Int

    init?(_ string: String) {
        guard let colon = string.lastIndex(of: ":") else { return nil }
        var host = String(string[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(string[string.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.port = port
    }
}
