/// Percent-coding (RFC 3986), the one implementation: BCE's canonical URIs and query strings, webhook URLs,
/// request paths and `application/x-www-form-urlencoded` query strings.
package enum PercentCoding {
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// Encodes every UTF-8 byte but the unreserved characters (`A-Za-z0-9-._~`) as `%XX` with uppercase hex;
    /// with `keepSlash` a `/` stays as is (BCE's canonical URI).
    package static func encode(_ string: String, keepSlash: Bool = false) -> String {
        var out = [UInt8]()
        out.reserveCapacity(string.utf8.count)
        for b in string.utf8 {
            if isUnreserved(b) || (keepSlash && b == UInt8(ascii: "/")) {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `url` with `name=value` pairs appended (values encoded), after its query if it has one.
    package static func appendingQuery(_ url: String, _ items: [(String, String)]) -> String {
        let query = items.map { "\($0.0)=\(encode($0.1))" }.joined(separator: "&")
        return url + (url.contains("?") ? "&" : "?") + query
    }

    /// Decodes `%XX` escapes (and `+` as space when `plusAsSpace`). Invalid escapes are kept literally;
    /// invalid UTF-8 is replaced with U+FFFD.
    package static func decode(_ s: Substring, plusAsSpace: Bool = false) -> String {
        let utf8 = s.utf8
        if !utf8.contains(UInt8(ascii: "%")) && !(plusAsSpace && utf8.contains(UInt8(ascii: "+"))) {
            return String(s)
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let c = utf8[i]
            if c == UInt8(ascii: "%") {
                let h1 = utf8.index(after: i)
                if h1 != utf8.endIndex {
                    let h2 = utf8.index(after: h1)
                    if h2 != utf8.endIndex, let hi = hexValue(utf8[h1]), let lo = hexValue(utf8[h2]) {
                        out.append(hi << 4 | lo)
                        i = utf8.index(after: h2)
                        continue
                    }
                }
                out.append(c)
            } else if plusAsSpace && c == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(c)
            }
            i = utf8.index(after: i)
        }
        return String(decoding: out, as: UTF8.self)
    }

    package static func decode(_ s: String, plusAsSpace: Bool = false) -> String {
        decode(s[...], plusAsSpace: plusAsSpace)
    }

    /// `a=1&b=x+y&c` → [("a","1"),("b","x y"),("c","")]. Empty pieces are skipped.
    package static func queryItems(_ query: String) -> [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        for piece in query.split(separator: "&", omittingEmptySubsequences: true) {
            if let eq = piece.firstIndex(of: "=") {
                items.append((decode(piece[..<eq], plusAsSpace: true), decode(piece[piece.index(after: eq)...], plusAsSpace: true)))
            } else {
                items.append((decode(piece, plusAsSpace: true), ""))
            }
        }
        return items
    }

    @inline(__always)
    package static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
    }
}
