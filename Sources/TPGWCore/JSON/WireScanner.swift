/// A forward-only, strict JSON scanner (RFC 8259) over UTF-8 bytes that decodes only what its caller asks for:
/// the one reader of cloud API bodies (Baidu and Tencent), where numbers must stay exact and a package's raw bytes
/// are kept for audit.
///
/// No tree is built (for a list page of 1,000 packages a tree is tens of thousands of allocations): keys are
/// compared as bytes, values come back as `WireScalar` byte ranges, and containers the caller does not need are
/// skipped (but still fully validated, so malformed JSON is always an error, nesting deeper than 64 too).
/// Only valid inside the `withUnsafeBufferPointer` call that provides `bytes`.
///
/// Everything is `@inlinable`, so the decoders in other modules compile the scanner into their own code: a call
/// per token across the module boundary made BCE list decoding ~40% slower (bench/RESULTS.md, "`WireScanner` in
/// TPGWCore"). The type, its stored properties and `StringToken`/`Failure` are `public` only for that: Swift 6.3
/// does not inline `@inlinable` members of a `package` type into another module (it calls them), and internal
/// inlinable helpers may only touch public state. The package builds no library product, so nothing leaves it.
/// ```swift
/// try body.withUnsafeBufferPointer { buf in
///     var s = WireScanner(buf)
///     try s.beginObject()
///     while let key = try s.nextKey() {
///         if s.key(key, is: "nextMarker") { marker = try s.scalar() } else { try s.skipValue() }
///     }
///     try s.end()
/// }
/// ```
public struct WireScanner {
    /// Malformed JSON: where and why.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "malformed JSON at byte \(offset): \(reason)" }

        @inlinable
        public init(offset: Int, reason: String) {
            self.offset = offset
            self.reason = reason
        }
    }

    public let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next unread byte (only the scanner moves it).
    public var offset = 0
    @usableFromInline var depth = 0
    /// Per open container: whether its first member or element is still to come.
    @usableFromInline var firstMember: [Bool] = []

    @inlinable
    package init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// A string token: the raw bytes between the quotes, and whether they contain escapes.
    public struct StringToken {
        public var range: Range<Int>
        public var escaped: Bool

        @inlinable
        package init(range: Range<Int>, escaped: Bool) {
            self.range = range
            self.escaped = escaped
        }
    }

    @inlinable
    func fail(_ reason: String) -> Failure { Failure(offset: offset, reason: reason) }

    @inlinable
    package mutating func skipSpace() {
        while offset < bytes.count {
            let c = bytes[offset]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            offset += 1
        }
    }

    /// The JSON type name of the value that starts at the current offset (after whitespace), for error messages.
    @inlinable
    package mutating func peekTypeName() -> String {
        skipSpace()
        guard offset < bytes.count else { return "nothing" }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return "object"
        case UInt8(ascii: "["): return "array"
        case UInt8(ascii: "\""): return "string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "boolean"
        case UInt8(ascii: "n"): return "null"
        default: return "number"
        }
    }

    /// True when the next value (after whitespace) starts with `c`.
    @inlinable
    package mutating func peek(_ c: UInt8) -> Bool {
        skipSpace()
        return offset < bytes.count && bytes[offset] == c
    }

    /// Requires that only whitespace is left.
    @inlinable
    package mutating func end() throws(Failure) {
        skipSpace()
        guard offset == bytes.count else { throw fail("trailing characters") }
    }

    // MARK: Containers

    /// Consumes `{`; members follow through `nextKey()`.
    @inlinable
    package mutating func beginObject() throws(Failure) {
        skipSpace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "{") else { throw fail("expected '{'") }
        try enter()
        offset += 1
        firstMember.append(true)
    }

    /// The next member name of the innermost object, with the offset moved past its `:`;
    /// nil (and the `}` consumed) when the object ends.
    @inlinable
    package mutating func nextKey() throws(Failure) -> StringToken? {
        skipSpace()
        guard offset < bytes.count else { throw fail("unexpected end") }
        let first = firstMember[firstMember.count - 1]
        if bytes[offset] == UInt8(ascii: "}") {
            // `{"a":1,}` never gets here: after a ',' a member name is required below.
            offset += 1
            firstMember.removeLast()
            depth -= 1
            return nil
        }
        if !first {
            guard bytes[offset] == UInt8(ascii: ",") else { throw fail("expected ',' or '}'") }
            offset += 1
            skipSpace()
        }
        firstMember[firstMember.count - 1] = false
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
        let key = try stringToken()
        skipSpace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { throw fail("expected ':'") }
        offset += 1
        return key
    }

    /// Consumes `[`; elements follow through `nextElement()`.
    @inlinable
    package mutating func beginArray() throws(Failure) {
        skipSpace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "[") else { throw fail("expected '['") }
        try enter()
        offset += 1
        firstMember.append(true)
    }

    /// True when another element of the innermost array follows (the offset then sits at its first byte);
    /// false (and the `]` consumed) when the array ends.
    @inlinable
    package mutating func nextElement() throws(Failure) -> Bool {
        skipSpace()
        guard offset < bytes.count else { throw fail("unexpected end") }
        let first = firstMember[firstMember.count - 1]
        if bytes[offset] == UInt8(ascii: "]") {
            // `[1,]` never gets here: after a ',' the caller reads a value, which rejects the ']'.
            offset += 1
            firstMember.removeLast()
            depth -= 1
            return false
        }
        if !first {
            guard bytes[offset] == UInt8(ascii: ",") else { throw fail("expected ',' or ']'") }
            offset += 1
            skipSpace()
        }
        firstMember[firstMember.count - 1] = false
        guard offset < bytes.count else { throw fail("unexpected end") }
        return true
    }

    @inlinable
    mutating func enter() throws(Failure) {
        depth += 1
        guard depth <= 64 else { throw fail("nesting too deep") }
    }

    // MARK: Values

    /// Reads any value: scalars as byte ranges, containers skipped (validated) and reported by kind.
    @inlinable
    package mutating func scalar() throws(Failure) -> WireScalar {
        skipSpace()
        guard offset < bytes.count else { throw fail("unexpected end") }
        switch bytes[offset] {
        case UInt8(ascii: "\""):
            let t = try stringToken()
            return .string(t.range, escaped: t.escaped)
        case UInt8(ascii: "{"):
            try skipValue()
            return .object
        case UInt8(ascii: "["):
            try skipValue()
            return .array
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try numberToken())
        }
    }

    /// Skips one complete value, validating it.
    @inlinable
    package mutating func skipValue() throws(Failure) {
        skipSpace()
        guard offset < bytes.count else { throw fail("unexpected end") }
        switch bytes[offset] {
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            while try nextElement() { try skipValue() }
        case UInt8(ascii: "\""): _ = try stringToken()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try numberToken()
        }
    }

    @inlinable
    mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard offset + n <= bytes.count else { throw fail("unexpected end") }
        let w = UnsafeBufferPointer(start: word.utf8Start, count: n)
        for k in 0..<n where bytes[offset + k] != w[k] { throw fail("invalid literal") }
        offset += n
    }

    @inlinable
    mutating func numberToken() throws(Failure) -> Range<Int> {
        let start = offset
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < bytes.count, isDigit(bytes[offset]) else { throw fail("invalid value") }
        if bytes[offset] == UInt8(ascii: "0") { offset += 1 } else { skipDigits() }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard offset < bytes.count, isDigit(bytes[offset]) else { throw fail("invalid number") }
            skipDigits()
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard offset < bytes.count, isDigit(bytes[offset]) else { throw fail("invalid number") }
            skipDigits()
        }
        return start..<offset
    }

    @inlinable
    mutating func skipDigits() {
        while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
    }

    @inlinable
    func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// Consumes a string (offset at its opening quote), validating escapes; returns its raw content.
    @inlinable
    package mutating func stringToken() throws(Failure) -> StringToken {
        offset += 1
        let start = offset
        var escaped = false
        skipPlainStringBytes()
        while true {
            guard offset < bytes.count else { throw fail("unterminated string") }
            let c = bytes[offset]
            if c == UInt8(ascii: "\"") {
                offset += 1
                return StringToken(range: start..<(offset - 1), escaped: escaped)
            }
            guard c >= 0x20 else { throw fail("control character in string") }
            guard c == UInt8(ascii: "\\") else {
                offset += 1
                continue
            }
            escaped = true
            offset += 1
            guard offset < bytes.count else { throw fail("unterminated escape") }
            switch bytes[offset] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                 UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                offset += 1
            case UInt8(ascii: "u"):
                offset += 1
                guard offset + 4 <= bytes.count else { throw fail("short \\u escape") }
                for _ in 0..<4 {
                    guard hexValue(bytes[offset]) != nil else { throw fail("invalid \\u escape") }
                    offset += 1
                }
            default: throw fail("invalid escape")
            }
        }
    }

    /// Skips 8 bytes at a time while none of them is `"`, `\\` or a control character (SWAR tests; the
    /// byte loop in `stringToken` handles the rest, so this only ever skips bytes that need no attention).
    @inlinable
    mutating func skipPlainStringBytes() {
        guard let base = bytes.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while offset + 8 <= bytes.count {
            let v = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            let quote = v ^ (ones &* 0x22)
            let backslash = v ^ (ones &* 0x5C)
            let hasQuote = (quote &- ones) & ~quote & highs
            let hasBackslash = (backslash &- ones) & ~backslash & highs
            let hasControl = (v &- ones &* 0x20) & ~v & highs
            if hasQuote | hasBackslash | hasControl != 0 { return }
            offset += 8
        }
    }

    // MARK: Reading tokens

    /// The bytes of `range` (no copy).
    @inlinable
    package func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[range])
    }

    /// True when the token's text is exactly `name` (compared as bytes; escaped tokens are decoded first).
    /// Always inlined: with `name` a literal the length test folds to a constant, which is most of the cost of
    /// matching member names (a call per key from the decoders' modules cost BCE list decoding ~40%).
    @inlinable @inline(__always)
    package func text(_ token: StringToken, is name: StaticString) -> Bool {
        guard !token.escaped else { return escapedText(token, is: name) }
        let n = name.utf8CodeUnitCount
        guard token.range.count == n else { return false }
        let w = name.utf8Start
        var k = 0
        while k < n {
            if bytes[token.range.lowerBound + k] != w[k] { return false }
            k += 1
        }
        return true
    }

    @usableFromInline @inline(never)
    func escapedText(_ token: StringToken, is name: StaticString) -> Bool { string(token) == name.description }

    /// True when the member name is `name`.
    @inlinable @inline(__always)
    package func key(_ token: StringToken, is name: StaticString) -> Bool { text(token, is: name) }

    /// The token's text, escapes decoded (the token was validated when scanned).
    @inlinable
    package func string(_ token: StringToken) -> String {
        if !token.escaped { return String(decoding: slice(token.range), as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(token.range.count)
        var i = token.range.lowerBound
        let end = token.range.upperBound
        while i < end {
            let c = bytes[i]
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(at: i)
                i += 4
                if (0xD800..<0xDC00).contains(scalar), i + 6 <= end, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    let low = hex4(at: i + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
            default: out.append(e)  // " \ /
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inlinable
    func hex4(at i: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 { v = v << 4 | UInt32(hexValue(bytes[i + k]) ?? 0) }
        return v
    }

    @inlinable
    func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
