import Testing
@testable import TPGWHTTP

@Suite struct ResponseEncoderTests {
    private func encode(_ r: HTTPResponse, _ options: ResponseEncoder.Options = .init(requestID: "rid")) -> String {
        var out: [UInt8] = []
        ResponseEncoder.encode(r, options: options, date: Array("Sun, 06 Nov 1994 08:49:37 GMT".utf8), into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func response_isHeadAndBodyInOneBuffer() {
        #expect(encode(.text("hi")) == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n"
            + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nX-Request-Id: rid\r\n\r\nhi")
    }

    @Test func handlerFramingHeaders_areReplaced_andCRLFCannotSplitTheResponse() {
        var r = HTTPResponse.text("hi")
        r.headers.add("Content-Length", "999")
        r.headers.add("Transfer-Encoding", "chunked")
        r.headers.add("X-Evil", "a\r\nSet-Cookie: x")
        let s = encode(r, .init(keepAlive: false, requestID: "rid"))
        #expect(s.contains("Content-Length: 2\r\n"))
        #expect(!s.contains("999") && !s.contains("chunked"))
        #expect(s.contains("X-Evil: a  Set-Cookie: x\r\n"))
        #expect(s.contains("Connection: close\r\n"))
    }

    @Test func noContent_hasNoBodyOrLength() {
        let s = encode(HTTPResponse(status: .noContent))
        #expect(!s.contains("Content-Length"))
        #expect(s.hasSuffix("\r\n\r\n"))
    }

    @Test func dateCache_formatsIMFFixdate() {
        #expect(String(decoding: HTTPDateCache.format(epochSeconds: 784111777), as: UTF8.self) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}
