/// Strips what may hold secrets from a URL before it is logged, stored in an error or shown: the one redaction.
package enum RedactedURL {
    /// Keeps scheme, host and port; user info, path, query and fragment are dropped (webhook URLs carry tokens in
    /// each of them: Slack `/services/T/B/<token>`, Feishu `/bot/v2/hook/<token>`, WeCom `?key=<token>`).
    /// `https://u:p@h:8443/a/b?token=x#f` becomes `https://h:8443/…`; `http://h` stays `http://h`.
    package static func redact(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return "…" }
        let scheme = url[..<schemeEnd.lowerBound]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) else { return "…" }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let tail = rest[authorityEnd...]
        return String(scheme) + "://" + String(authority) + (tail.isEmpty || tail == "/" ? String(tail) : "/…")
    }
}
