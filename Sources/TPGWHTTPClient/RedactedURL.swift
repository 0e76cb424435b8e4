/// Strips what may hold secrets from a URL before it is logged or put in an error.
package enum RedactedURL {
    /// Keeps scheme, host, port and path; drops user info, query and fragment.
    /// `https://u:p@h:8443/a/b?token=x#f` becomes `https://h:8443/a/b`.
    package static func redact(_ url: String) -> String {
        var s = Substring(url)
        if let cut = s.firstIndex(where: { $0 == "?" || $0 == "#" }) { s = s[..<cut] }
        if let schemeEnd = s.range(of: "://") {
            let rest = s[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                return String(s[..<schemeEnd.upperBound]) + String(authority[authority.index(after: at)...])
                    + String(rest[authorityEnd...])
            }
        }
        return String(s)
    }
}
