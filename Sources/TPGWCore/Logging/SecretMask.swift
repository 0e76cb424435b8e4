/// Masks known secrets in text with `***`: the one text redaction (``RedactedURL`` in TPGWHTTPClient strips URLs
/// structurally before they are shown; this masks what is known to be secret wherever it appears in a message).
///
/// Every given secret is masked, longest first. For a secret that is a URL, the parts that carry tokens are masked
/// too: each path segment of 8 or more characters (Slack and Feishu put tokens there) and each query item and its
/// value (WeCom's `?key=`), those of 6 or more characters (shorter ones would mask ordinary words).
package struct SecretMask: Sendable {
    /// What is replaced, longest first.
    package let masks: [String]

    package init(_ secrets: [String]) {
        var masks = secrets.filter { !$0.isEmpty }
        var derived: [String] = []
        for s in secrets {
            if let scheme = s.range(of: "://") {
                let rest = s[scheme.upperBound...]
                let pathEnd = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? rest.endIndex
                derived += rest[..<pathEnd].split(separator: "/").dropFirst().filter { $0.count >= 8 }.map(String.init)
            }
            guard let q = s.firstIndex(of: "?") else { continue }
            for pair in s[s.index(after: q)...].split(separator: "&") {
                derived.append(String(pair))
                if let eq = pair.firstIndex(of: "=") { derived.append(String(pair[pair.index(after: eq)...])) }
            }
        }
        masks += derived.filter { $0.count >= 6 }
        self.masks = Array(Set(masks)).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// `text` with every mask replaced by `***`.
    package func apply(_ text: String) -> String {
        var out = text
        for mask in masks { out = out.replacingOccurrences(of: mask, with: "***") }
        return out
    }
}
