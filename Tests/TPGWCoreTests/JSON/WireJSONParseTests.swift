import Testing
import TPGWCore

/// `WireJSON.parse`: the tree built by `WireScanner`, the one JSON reader (BCE list pages use the same scanner
/// without a tree; Tencent bodies and simulator requests use the tree).
@Suite struct WireJSONParseTests {
    @Test func escapesAndUnicode_areDecoded_numbersKeepTheirText() throws {
        let v = try WireJSON.parse(Array(#"{"a":"x\"\u00e9\ud83d\ude00\n","b":[1.5e3,-0,null,true]}"#.utf8))
        #expect(v["a"] == .string("x\"é😀\n"))
        guard case .array(let items, _)? = v["b"] else { Issue.record("no array"); return }
        #expect(items == [.number("1.5e3"), .number("-0"), .null, .bool(true)])
    }

    @Test func arrayElements_keepTheirByteRanges_membersTheirOrder() throws {
        let body = Array(#" { "z" : [ {"id":"a"} , 7 ,"s"] , "a" : { } , "z" : 1 } "#.utf8)
        let v = try WireJSON.parse(body)
        guard case .object(let members) = v else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == ["z", "a", "z"])
        #expect(v["z"] == .number("1"))  // the last duplicate wins on lookup
        guard case .array(_, let ranges) = members[0].1 else { Issue.record("no array"); return }
        #expect(ranges.map { String(decoding: body[$0], as: UTF8.self) } == [#"{"id":"a"}"#, "7", #""s""#])
    }

    @Test(arguments: [
        ("", "unexpected end"), ("{", "unexpected end"), (#"{"a":1,}"#, "expected a member name"), ("[1,]", "invalid value"),
        ("[1 2]", "expected ',' or ']'"), ("{} x", "trailing characters"), ("01", "trailing characters"), (#""\x""#, "invalid escape"),
        ("\"a\u{01}\"", "control character in string"), ("tru", "unexpected end"), (String(repeating: "[", count: 65), "nesting too deep"),
    ])
    func malformedJSON_isAFailure_withItsReason(_ text: String, _ reason: String) {
        #expect(throws: WireScanner.Failure.self) { try WireJSON.parse(Array(text.utf8)) }
        do {
            _ = try WireJSON.parse(Array(text.utf8))
        } catch {
            #expect(error.reason == reason, "\(text)")
        }
    }
}
