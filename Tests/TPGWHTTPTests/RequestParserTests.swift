import Testing
@testable import TPGWHTTP

@Suite struct RequestParserTests {
    @Test func simpleGet_isParsedWithHeadersPathAndQuery() {
        let (events, requests) = parseAll("GET /v1/packages/a%20b?x=1&y=a+b HTTP/1.1\r\nHost: example\r\nX-Thing:  spaced value \r\n\r\n")
        #expect(events == [.request(method: .GET, target: "/v1/packages/a%20b?x=1&y=a+b", body: "")])
        let r = requests[0]
        #expect(r.path == "/v1/packages/a%20b")
        #expect(r.query == "x=1&y=a+b")
        #expect(r.queryItems.first { $0.name == "y" }?.value == "a b")
        #expect(r.headers["x-thing"] == "spaced value")
        #expect(r.headers["HOST"] == "example")
        #expect(r.version == .http1_1)
        #expect(r.keepAlive)
    }

    @Test func contentLengthBody_isRead() {
        let (events, _) = parseAll("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello")
        #expect(events == [.request(method: .POST, target: "/p", body: "hello")])
    }

    static let wellFormed: [String] = [
        "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
        "GET / HTTP/1.1\nHost: h\n\n",  // bare LF line endings are accepted
        "\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",  // leading empty lines are ignored
        "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET http://example.com/a?b HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\n\r\nabc",
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
        "DELETE /x HTTP/1.1\r\nHost: h\r\nEmpty:\r\n\r\n",
    ]

    @Test(arguments: wellFormed)
    func wellFormedRequest_isAccepted(_ input: String) {
        let (events, _) = parseAll(input)
        #expect(events.count == 1)
        if case .request = events.first {} else { Issue.record("got \(events)") }
    }

    static let malformed: [(String, HTTPParseError.Kind)] = [
        ("GET /\r\n\r\n", .badRequest),                                           // no version
        ("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", .badRequest),                      // double space
        ("GET / HTTP/1.1 \r\nHost: h\r\n\r\n", .badRequest),                      // trailing space
        ("GET / HTTP/1.1\r\n\r\n", .badRequest),                                  // HTTP/1.1 without Host
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .badRequest),            // two Host fields
        ("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", .badRequest),                       // method is not a token
        ("BR(EW / HTTP/1.1\r\nHost: h\r\n\r\n", .badRequest),                     // not a token
        ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", .versionNotSupported),
        ("GET / HTTP/0.9\r\nHost: h\r\n\r\n", .versionNotSupported),
        ("GET / HTTX/1.1\r\nHost: h\r\n\r\n", .badRequest),
        ("GET / HTTP/1.10\r\nHost: h\r\n\r\n", .badRequest),
        ("GET nopath HTTP/1.1\r\nHost: h\r\n\r\n", .badRequest),
        ("GET * HTTP/1.1\r\nHost: h\r\n\r\n", .badRequest),                       // * only for OPTIONS
        ("GET /a\u{7F}b HTTP/1.1\r\nHost: h\r\n\r\n", .badRequest),               // DEL in target
        ("GET / HTTP/1.1\r\nHost: h\r\nBad Name: v\r\n\r\n", .badRequest),
        ("GET / HTTP/1.1\r\nHost: h\r\nName : v\r\n\r\n", .badRequest),           // space before colon
        ("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", .badRequest),
        ("GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", .badRequest),                // empty name
        ("GET / HTTP/1.1\r\nHost: h\r\nA: b\r\n folded\r\n\r\n", .badRequest),    // obs-fold
        ("GET / HTTP/1.1\r\nHost: h\r\nA: b\u{01}c\r\n\r\n", .badRequest),        // control char in value
        ("GET / HTTP/1.1\r\nHost: h\r\nA: b\rc\r\n\r\n", .badRequest),            // bare CR
        ("GET / HTTP/1.1\rHost: h\r\n\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 4\r\n\r\nabcd", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \r\n\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x10\r\n\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n", .payloadTooLarge),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", .badRequest),       // chunked not final
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .notImplemented),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .badRequest),     // bad chunk size
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", .badRequest),       // empty chunk size
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3x\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n", .badRequest), // data longer than size
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Trailer\r\n\r\n", .badRequest),
    ]

    @Test(arguments: malformed)
    func malformedRequest_isRejectedWithItsKind(_ input: String, _ kind: HTTPParseError.Kind) {
        let (events, _) = parseAll(input)
        #expect(events.last == .failure(kind), "input: \(input.debugDescription)")
        // The same verdict when the bytes arrive one at a time.
        let (split, _) = parseAll(input, chunk: 1)
        #expect(split.last == .failure(kind))
    }

    @Test func requestLineOverLimit_isURITooLong() {
        let long = "GET /" + String(repeating: "a", count: 8192) + " HTTP/1.1\r\nHost: h\r\n\r\n"
        #expect(parseAll(long).events == [.failure(.uriTooLong)])
        // Detected before the line ends.
        #expect(parseAll("GET /" + String(repeating: "a", count: 9000)).events == [.failure(.uriTooLong)])
        let fits = "GET /" + String(repeating: "a", count: 8192 - 14) + " HTTP/1.1\r\nHost: h\r\n\r\n"
        #expect(parseAll(fits).events.count == 1)
        if case .request = parseAll(fits).events[0] {} else { Issue.record("8192-byte line rejected") }
    }

    @Test func headerBlockOverLimit_isHeadersTooLarge() {
        let big = "GET / HTTP/1.1\r\nHost: h\r\n" + String(repeating: "X-Filler: " + String(repeating: "v", count: 1000) + "\r\n", count: 33) + "\r\n"
        #expect(parseAll(big).events == [.failure(.headersTooLarge)])
        #expect(parseAll(big, chunk: 7).events == [.failure(.headersTooLarge)])
    }

    @Test func tooManyHeaderFields_isHeadersTooLarge() {
        let many = "GET / HTTP/1.1\r\nHost: h\r\n" + (0..<100).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        #expect(parseAll(many).events == [.failure(.headersTooLarge)])
        let limit = "GET / HTTP/1.1\r\nHost: h\r\n" + (0..<99).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        #expect(parseAll(limit).events.count == 1)
    }

    @Test func declaredBodyOverLimit_isRejectedBeforeReadingIt() {
        let limits = RequestParser.Limits(maxBodyBytes: 10)
        var parser = RequestParser(limits: limits)
        let (consumed, event) = parser.parse(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n".utf8))
        guard case .failure(let e) = event else { Issue.record("expected failure, got \(event)"); return }
        #expect(e.kind == .payloadTooLarge)
        #expect(e.status == .payloadTooLarge)
        #expect(consumed > 0)
    }

    @Test func chunkedBodyOverLimit_isPayloadTooLarge() {
        let limits = RequestParser.Limits(maxBodyBytes: 10)
        let input = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nabcdef\r\n0\r\n\r\n"
        #expect(parseAll(input, limits: limits).events == [.failure(.payloadTooLarge)])
    }

    @Test func chunkedBody_withExtensionsAndTrailers_isDecoded() {
        let input = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n"
            + "5;name=value;flag\r\nhello\r\n7 ; ext=\"q\"\r\n, world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n"
        for chunk in [Int.max, 1, 2, 3, 5, 13] {
            let (events, requests) = parseAll(input, chunk: chunk)
            #expect(events == [.request(method: .POST, target: "/c", body: "hello, world0123456789")], "chunk \(chunk)")
            #expect(requests.first?.headers["X-Trailer"] == nil)  // trailers are not merged into the head
        }
    }

    @Test func requestArrivingOneByteAtATime_equalsWholeRequest() {
        let input = "PUT /p/q?r=s HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\nX-A: 1\r\n\r\nhello world"
        let whole = parseAll(input)
        let split = parseAll(input, chunk: 1)
        #expect(whole.events == split.events)
        #expect(split.events == [.request(method: .PUT, target: "/p/q?r=s", body: "hello world")])
        #expect(split.requests[0].headers["x-a"] == "1")
    }

    @Test func pipelinedRequestsInOneRead_areReturnedInOrder() {
        let input = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhiHEAD /3 HTTP/1.1\r\nHost: h\r\n\r\n"
        var parser = RequestParser()
        let bytes = Array(input.utf8)
        let first = parser.parse(bytes)
        guard case .request(let r1) = first.event else { Issue.record("no first request"); return }
        #expect(r1.path == "/1")
        #expect(first.consumed < bytes.count)  // the rest is the next request
        #expect(parseAll(input).events == [
            .request(method: .GET, target: "/1", body: ""), .request(method: .POST, target: "/2", body: "hi"),
            .request(method: .HEAD, target: "/3", body: ""),
        ])
    }

    @Test func expect100Continue_isSignalledBeforeTheBody() {
        let input = "POST /u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbody"
        #expect(parseAll(input).events == [.expectContinue, .request(method: .POST, target: "/u", body: "body")])
        #expect(parseAll(input, chunk: 1).events == [.expectContinue, .request(method: .POST, target: "/u", body: "body")])
        // Without a body there is nothing to continue.
        #expect(parseAll("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n").events == [.request(method: .GET, target: "/", body: "")])
    }

    @Test func failedParser_staysFailed() {
        var parser = RequestParser()
        _ = parser.parse(Array("BAD\r\n".utf8))
        let (_, event) = parser.parse(Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        guard case .failure = event else { Issue.record("parser recovered"); return }
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: h\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", false),
        ("GET / HTTP/1.1\r\nHost: h\r\nConnection: Keep-Alive, CLOSE\r\n\r\n", false),
        ("GET / HTTP/1.0\r\n\r\n", false),
        ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true),
    ])
    func keepAlive_followsVersionAndConnectionHeader(_ input: String, _ expected: Bool) {
        #expect(parseAll(input).requests.first?.keepAlive == expected)
    }

    @Test func absoluteFormTarget_yieldsOriginPath() {
        let r = parseAll("GET http://example.com:8080/a/b?c=d HTTP/1.1\r\nHost: example.com\r\n\r\n").requests[0]
        #expect(r.path == "/a/b")
        #expect(r.query == "c=d")
    }
}
