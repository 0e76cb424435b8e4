import TPGWCore

/// One upstream source: an account's credentials in one region, and where to reach it.
package struct BCEEndpoint: Sendable, Equatable, CustomStringConvertible {
    package var account: String
    package var region: String
    package var credentials: BCECredentials
    /// `scheme://host[:port]`, no trailing slash. Default `https://eip.{region}.baidubce.com`.
    package var baseURL: String

    package init(account: String, region: String, credentials: BCECredentials, baseURL: String? = nil) {
        self.account = account
        self.region = region
        self.credentials = credentials
        var url = baseURL ?? Self.defaultBaseURL(region: region)
        while url.hasSuffix("/") { url.removeLast() }
        self.baseURL = url
    }

    /// `https://eip.{region}.baidubce.com`.
    package static func defaultBaseURL(region: String) -> String { "https://eip.\(region).baidubce.com" }

    package var source: SourceID { SourceID(provider: "bce", account: account, region: region) }

    /// The `Host` header value: the URL's authority, with `:port` only when it is not the scheme's default.
    package var hostHeader: String {
        var rest = Substring(baseURL)
        var defaultPort = "443"
        if let r = rest.range(of: "://") {
            if rest[..<r.lowerBound].lowercased() == "http" { defaultPort = "80" }
            rest = rest[r.upperBound...]
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if rest.hasSuffix(":" + defaultPort) { rest = rest.dropLast(defaultPort.count + 1) }
        return String(rest)
    }

    /// A path prefix carried by `baseURL` (usually empty).
    package var basePath: String {
        var rest = Substring(baseURL)
        if let r = rest.range(of: "://") { rest = rest[r.upperBound...] }
        guard let slash = rest.firstIndex(of: "/") else { return "" }
        return String(rest[slash...])
    }

    package var description: String { "\(source) (\(baseURL))" }
}
