import TPGWCore

/// One upstream source of the Tencent VPC API: a Tencent account's key, the region the calls act on (sent as
/// `X-TC-Region`, the domain does not choose it) and the domain called.
package struct TencentEndpoint: Sendable, Equatable {
    /// The default domain (nearest access point, China site).
    package static let defaultBaseURL = "https://vpc.tencentcloudapi.com"

    /// tpgw's account name (the Tencent account behind the key).
    package var account: String
    package var region: String
    package var credentials: TencentCredentials
    /// `scheme://host[:port]` without a path, e.g. `https://vpc.tencentcloudapi.com` or `http://127.0.0.1:9300`.
    package var baseURL: String

    package init(account: String, region: String, credentials: TencentCredentials, baseURL: String = TencentEndpoint.defaultBaseURL) {
        self.account = account
        self.region = region
        self.credentials = credentials
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        self.baseURL = url
    }

    package var source: SourceID { SourceID(provider: "tencent", account: account, region: region) }

    /// The URL every action is posted to.
    package var url: String { baseURL + "/" }

    /// The `Host` header (and signed `host`): the authority of `baseURL`, with the port only when it is not the
    /// scheme's default.
    package var hostHeader: String {
        var rest = Substring(baseURL)
        var scheme = "https"
        if let r = rest.range(of: "://") {
            scheme = rest[..<r.lowerBound].lowercased()
            rest = rest[r.upperBound...]
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        var host = String(rest)
        if (scheme == "https" && host.hasSuffix(":443")) || (scheme == "http" && host.hasSuffix(":80")) {
            host = String(host.dropLast(scheme == "https" ? 4 : 3))
        }
        return host
    }
}
