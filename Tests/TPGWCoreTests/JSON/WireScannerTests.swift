import Testing
@testable import TPGWCore

/// The one reader of cloud API bodies. Its decoders (BCE, Tencent) pin what they read from it; these pin the
/// scanner itself on escapes, surrogates, nesting and the top-level member reader.
@Suite struct WireScannerTests {
    /// The members of a flat object, strings decoded and anything else by its literal text.
    func texts(_ json: String) throws -> [String: String] {
        var out: [String: String] = [:]
        try Array(json.utf8).withUnsafeBufferPointer { buf in
            var s = WireScanner(buf)
            try s.beginObject()
            while let key = try s.nextKey() {
                let start = s.offset
                let v = try s.scalar()
                out[s.string(key)] = v.stringToken.map { s.string($0) } ?? String(decoding: s.slice(start..<s.offset), as: UTF8.self)
            }
            try s.end()
        }
        return out
    }

    @Test func escapesAndUnicode_decode_numbersKeepTheirText() throws {
        let m = try texts(#"{"a":"x\"\u00e9\ud83d\ude00\n\/","b\u0062":1.5e3,"c":-0,"d":null,"e":true,"f":[1,{"g":2}]}"#)
        #expect(m["a"] == "x\"é😀\n/")
        #expect(m["bb"] == "1.5e3")
        #expect(m["c"] == "-0")
        #expect(m["d"] == "null")
        #expect(m["e"] == "true")
        #expect(m["f"] == #"[1,{"g":2}]"#)
    }

    /// A lone or mismatched surrogate decodes to U+FFFD and the escape after it is read on its own, never a trap
    /// (`\ud800\u0041` trapped the tree parser this scanner replaced on an arithmetic overflow).
    @Test(arguments: [
        (#"\ud800\u0041"#, "\u{FFFD}A"), (#"\ud800"#, "\u{FFFD}"), (#"\udc00x"#, "\u{FFFD}x"), (#"\ud800\ud800"#, "\u{FFFD}\u{FFFD}"),
        (#"\uDBFF\uDFFF"#, "\u{10FFFF}"),
    ])
    func brokenSurrogates_becomeReplacementCharacters(_ escaped: String, _ expected: String) throws {
        #expect(try texts(#"{"s":"\#(escaped)"}"#)["s"] == expected)
    }

    @Test func invalidUTF8_isRepaired_notRejected() throws {
        let body: [UInt8] = Array(#"{"s":""#.utf8) + [0xFF, 0x41, 0xC3] + Array(#""}"#.utf8)
        let m = try WireScanner.members(body, ["s"])
        #expect(m["s"] == .string("\u{FFFD}A\u{FFFD}"))
    }

    /// 64 levels are read; the 65th is malformed (a clear error instead of unbounded recursion).
    @Test func nesting_isLimitedTo64() throws {
        func nested(_ n: Int) -> [UInt8] { Array((String(repeating: "[", count: n) + String(repeating: "]", count: n)).utf8) }
        #expect(throws: Never.self) { try WireScanner.members(nested(64), []) }
        #expect { try WireScanner.members(nested(65), []) } throws: { ($0 as? WireScanner.Failure)?.reason == "nesting too deep" }
        #expect { try WireScanner.members(nested(100_000), []) } throws: { ($0 as? WireScanner.Failure)?.reason == "nesting too deep" }
    }

    /// Numbers of any length stay text (callers decide what fits); malformed ones are errors.
    @Test func hugeNumbers_stayText() throws {
        let digits = "1" + String(repeating: "0", count: 10_000)
        #expect(try WireScanner.members(Array(#"{"n":\#(digits),"e":1e400}"#.utf8), ["n", "e"]) == ["n": .number(digits), "e": .number("1e400")])
    }

    @Test func members_lastDuplicateWins_nonObjectHasNone_malformedThrows() throws {
        #expect(try WireScanner.members(Array(#"{"a":"1","b":{"a":"x"},"a":2}"#.utf8), ["a", "b"]) == ["a": .number("2"), "b": .other(typeName: "object")])
        #expect(try WireScanner.members(Array(#"["a"]"#.utf8), ["a"]).isEmpty)
        for bad in [#"{"a":1,}"#, #"{"a":1} x"#, #"{"a":"\x"}"#, "", #"{"a":01}"#] {
            #expect(throws: WireScanner.Failure.self) { try WireScanner.members(Array(bad.utf8), ["a"]) }
        }
    }
}
