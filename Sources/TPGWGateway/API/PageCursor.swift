import Foundation
import TPGWCrypto

/// An opaque paging cursor bound to the query that produced it.
///
/// The cursor carries the last row's sort value and key, plus a digest of the query (filters and sort) and
/// of itself, so a cursor used with another query, or edited, is rejected instead of silently paging wrong.
struct PageCursor: Equatable, Sendable {
    var sortValue: String
    var lastKey: String

    /// Encodes for `nextCursor`.
    func encode(queryFingerprint: String) -> String {
        let payload = [sortValue, lastKey].map { $0.replacingOccurrences(of: "\u{1F}", with: "") }.joined(separator: "\u{1F}")
        let tag = Self.tag(payload: payload, fingerprint: queryFingerprint)
        return Self.base64url(Array((payload + "\u{1F}" + tag).utf8))
    }

    /// Decodes a client-supplied cursor; nil when malformed, tampered with, or from another query.
    static func decode(_ text: String, queryFingerprint: String) -> PageCursor? {
        guard text.count <= 2048, let bytes = unbase64url(text) else { return nil }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { return nil }
        let payload = parts[0] + "\u{1F}" + parts[1]
        guard Crypto.constantTimeEquals(Array(tag(payload: payload, fingerprint: queryFingerprint).utf8), Array(parts[2].utf8)) else {
            return nil
        }
        return PageCursor(sortValue: parts[0], lastKey: parts[1])
    }

    private static func tag(payload: String, fingerprint: String) -> String {
        String(Crypto.sha256("tpgw-cursor-v1\n" + fingerprint + "\n" + payload).hexString.prefix(24))
    }

    private static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func unbase64url(_ text: String) -> [UInt8]? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s).map { Array($0) }
    }
}
