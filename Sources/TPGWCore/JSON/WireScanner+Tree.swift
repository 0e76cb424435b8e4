extension WireScanner {
    /// Reads one complete value as a `WireJSON` tree: members in input order, strings unescaped, numbers as their
    /// literal text, and the byte range of every array element (so a decoded item can keep its raw bytes).
    package mutating func tree() throws(Failure) -> WireJSON {
        skipSpace()
        guard offset < bytes.count else { throw Failure(offset: offset, reason: "unexpected end") }
        switch bytes[offset] {
        case UInt8(ascii: "{"):
            try beginObject()
            var members: [(String, WireJSON)] = []
            while let key = try nextKey() { members.append((string(key), try tree())) }
            return .object(members)
        case UInt8(ascii: "["):
            try beginArray()
            var items: [WireJSON] = []
            var ranges: [Range<Int>] = []
            while try nextElement() {
                let start = offset
                items.append(try tree())
                ranges.append(start..<offset)
            }
            return .array(items, ranges: ranges)
        default:
            switch try scalar() {
            case .string(let range, let escaped): return .string(string(StringToken(range: range, escaped: escaped)))
            case .number(let range): return .number(String(decoding: slice(range), as: UTF8.self))
            case .bool(let value): return .bool(value)
            case .null, .missing, .object, .array: return .null  // containers were handled above
            }
        }
    }
}
