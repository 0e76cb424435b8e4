import Testing
@testable import TPGWCore

@Suite struct HeaderValueTests {
    @Test(arguments: [
        ("abc", "abc"), ("  abc\t", "abc"), ("\t a b \t", "a b"), ("", ""), ("   ", ""), ("\t", ""),
        // Only SP and HTAB are optional white space: other spaces are part of the value.
        ("\u{00A0}key\u{00A0}", "\u{00A0}key\u{00A0}"), (" \r\nx", "\r\nx"),
        // A combining mark after trimmed space stays with its value, and multi-byte text survives.
        (" \u{0301}é ", "\u{0301}é"), ("  密钥  ", "密钥"),
    ])
    func trimmed_dropsOnlySpaceAndTab(input: String, expected: String) {
        #expect(String(HeaderValue.trimmed(input)) == expected)
    }

    @Test func list_splitsOnCommas_trimsAndDropsEmpty() {
        #expect(HeaderValue.list(#" "a", W/"b" ,, * "#).map(String.init) == [#""a""#, #"W/"b""#, "*"])
        #expect(HeaderValue.list("").isEmpty)
        #expect(HeaderValue.list(" , ").isEmpty)
    }
}
