/// Header value helpers on the request path (RFC 9110): optional white space is SP and HTAB only, compared on UTF-8
/// bytes. Foundation's `trimmingCharacters(in:)` goes through `NSString` and UTF-16 and cost a tenth of the server's CPU
/// on every authenticated request.
package enum HeaderValue {
    /// `s` without leading and trailing SP / HTAB.
    package static func trimmed<S: StringProtocol>(_ s: S) -> Substring {
        let sub = Substring(s)
        let bytes = sub.utf8
        guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return sub[sub.endIndex...] }
        let last = bytes.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!
        // Both bounds sit on ASCII bytes, so they are scalar (and character) boundaries.
        return sub[first...last]
    }

    /// The comma-separated elements of a list header (`If-None-Match`), each trimmed, empty ones dropped.
    package static func list(_ s: String) -> [Substring] {
        s.split(separator: ",").map { trimmed($0) }.filter { !$0.isEmpty }
    }
}
