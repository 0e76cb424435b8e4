import Testing
@testable import TPGWGateway

@Suite struct ReadErrorTests {
    @Test func upstreamErrorText_isBoundedToOneShortLine() {
        let e = ReadError(code: String(repeating: "C", count: 1000), message: "line one\nline two " + String(repeating: "x", count: 1_000_000))
        #expect(e.code.count == 64)
        #expect(e.message.count == 500)
        #expect(e.message.hasSuffix("…"))
        #expect(!e.message.contains("\n"))
        #expect(ReadError(code: "timeout", message: "took too long").message == "took too long")
    }
}
