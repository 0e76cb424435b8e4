import Foundation
import Testing
import TPGWCore
@testable import TPGWHTTP

@Suite struct HTTPServerTests {
    @Test func keepAlive_servesSeveralRequestsOnOneConnection() async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                for _ in 0..<3 {
                    try c.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
                    let r = try c.readResponse()
                    #expect(r.status == 200)
                    #expect(r.bodyString == "hello")
                    #expect(r.header("Connection") == nil)
                }
            }
        }
    }

    @Test func everyResponse_hasDateContentLengthAndRequestID() async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                try c.send("GET /hello HTTP/1.1\r\n\(host)X-Request-Id: abc.DEF-1_2\r\n\r\n")
                let r = try c.readResponse()
                #expect(r.header("X-Request-Id") == "abc.DEF-1_2")
                #expect(r.header("Content-Length") == "5")
                #expect(r.header("Date")?.hasSuffix(" GMT") == true)
                try c.send("GET /missing HTTP/1.1\r\n\(host)X-Request-Id: bad id!\r\n\r\n")
                let r2 = try c.readResponse()
                #expect(r2.status == 404)
                let id = try #require(r2.header("X-Request-Id"))
                #expect(id != "bad id!")
                #expect(r2.header("Content-Type") == "application/problem+json")
                #expect(r2.bodyString.contains("\"code\":\"notFound\""))
                #expect(r2.bodyString.contains("\"requestId\":\"\(id)\""))
            }
        }
    }

    @Test func pipelinedRequests_areAnsweredInOrder() async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                // The first is slow, the second fast: order must still hold.
                try c.send("GET /sleep/150 HTTP/1.1\r\n\(host)\r\nGET /hello HTTP/1.1\r\n\(host)\r\n"
                    + "POST /echo HTTP/1.1\r\n\(host)Content-Length: 3\r\n\r\nabcGET /sleep/1 HTTP/1.1\r\n\(host)\r\n")
                #expect(try c.readResponse().bodyString == "slept 150")
                #expect(try c.readResponse().bodyString == "hello")
                #expect(try c.readResponse().bodyString == "abc")
                #expect(try c.readResponse().bodyString == "slept 1")
            }
        }
    }

    @Test func connectionClose_isHonoured() async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                try c.send("GET /hello HTTP/1.1\r\n\(host)Connection: close\r\n\r\n")
                let r = try c.readResponse()
                #expect(r.header("Connection") == "close")
                #expect(c.isClosedByPeer())
            }
        }
    }

    @Test func http10_closesUnlessKeepAliveIsAsked() async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                try c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let r = try c.readResponse()
                #expect(r.header("Connection") == "keep-alive")
                try c.send("GET /hello HTTP/1.0\r\n\r\n")
                #expect(try c.readResponse().header("Connection") == "close")
                #expect(c.isClosedByPeer())
            }
        }
    }

    @Test func chunkedRequestBody_reachesTheHandler() async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                try c.send("POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n4;x=y\r\nwiki\r\n5\r\npedia\r\n0\r\nT: 1\r\n\r\n")
                #expect(try c.readResponse().bodyString == "wikipedia")
            }
        }
    }

    @Test func expect100Continue_sendsInterimResponseThenTheFinalOne() async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                try c.send("POST /echo HTTP/1.1\r\n\(host)Content-Length: 4\r\nExpect: 100-continue\r\n\r\n")
                #expect(try c.readResponse().status == 100)
                try c.send("data")
                let r = try c.readResponse()
                #expect(r.status == 200)
                #expect(r.bodyString == "data")
            }
        }
    }

    @Test func head_returnsGetHeadersWithoutBody() async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                try c.send("HEAD /hello HTTP/1.1\r\n\(host)\r\n")
                let r = try c.readResponse(head: true)
                #expect(r.status == 200)
                #expect(r.header("Content-Length") == "5")
                // The connection is still in sync: no body bytes were sent.
                try c.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
                #expect(try c.readResponse().bodyString == "hello")
            }
        }
    }

    @Test func unknownPath_is404_andOtherMethod_is405WithAllow() async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                try c.send("GET /nope HTTP/1.1\r\n\(host)\r\n")
                #expect(try c.readResponse().status == 404)
                try c.send("DELETE /hello HTTP/1.1\r\n\(host)\r\n")
                let r = try c.readResponse()
                #expect(r.status == 405)
                #expect(r.header("Allow") == "GET, HEAD")
            }
        }
    }

    @Test func handlerError_is500ProblemWithoutDetails() async throws {
        let sink = MemoryLogSink()
        try await withServer(router: makeTestRouter(), logSink: sink) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                try c.send("GET /fail HTTP/1.1\r\n\(host)\r\n")
                let r = try c.readResponse()
                #expect(r.status == 500)
                #expect(r.bodyString.contains("\"code\":\"internal\""))
                #expect(!r.bodyString.contains("NSCocoaErrorDomain") && !r.bodyString.contains("fileNoSuchFile"))
            }
        }
        #expect(sink.records.contains { $0.level == .error && $0.metadata["http.route"] == "/fail" })
    }

    @Test func accessLog_writesOneInfoLinePerRequest() async throws {
        let sink = MemoryLogSink()
        try await withServer(router: makeTestRouter(), logSink: sink) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                try c.send("GET /sleep/5 HTTP/1.1\r\n\(host)X-Request-Id: log-test-1\r\n\r\n")
                _ = try c.readResponse()
            }
        }
        let lines = sink.records.filter { $0.metadata["request.id"] == "log-test-1" && $0.level == .info }
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.metadata["http.method"] == "GET")
        #expect(line.metadata["http.route"] == "/sleep/{ms}")
        #expect(line.metadata["http.status"] == "200")
        #expect(Double(line.metadata["http.duration_ms"] ?? "") ?? 0 >= 4)
    }

    @Test func accessLog_canBeTurnedOff() async throws {
        let sink = MemoryLogSink()
        try await withServer({ $0.accessLog = false }, router: makeTestRouter(), logSink: sink) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                try c.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
                _ = try c.readResponse()
            }
        }
        #expect(sink.records.filter { $0.level == .info }.isEmpty)
    }

    @Test func slowHandler_delaysOnlyItsOwnConnection() async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            let slow = Task {
                try await offPool { () -> (Int, Date) in
                    let c = try RawClient(port: port, receiveTimeout: 15)
                    try c.send("GET /sleep/5000 HTTP/1.1\r\n\(host)\r\n")
                    return (try c.readResponse().status, Date())
                }
            }
            try await Task.sleep(for: .milliseconds(50))
            let fastDone = try await offPool { () -> Date in
                for _ in 0..<20 {
                    let c = try RawClient(port: port)
                    try c.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
                    _ = try c.readResponse()
                }
                return Date()
            }
            // 20 requests on other connections all answered while the slow one still sleeps (a server that let one
            // handler hold a loop would answer them after it): an order, so a loaded machine cannot make it flaky.
            let (status, slowDone) = try await slow.value
            #expect(status == 200)
            #expect(fastDone < slowDone)
        }
    }

    @Test func largeResponse_isWrittenCompletely() async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                try c.send("GET /big/5000000 HTTP/1.1\r\n\(host)\r\n")
                let r = try c.readResponse()
                #expect(r.body.count == 5_000_000)
                try c.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
                #expect(try c.readResponse().bodyString == "hello")
            }
        }
    }

    @Test func largeBodies_pipelinedToASlowReader_arriveWholeAndInOrder() async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                // Three pipelined requests; the reader waits, so the first body stops at a full socket buffer and the
                // others queue behind it.
                try c.send("GET /pattern/3000000 HTTP/1.1\r\n\(host)\r\nGET /pattern/200000 HTTP/1.1\r\n\(host)\r\nGET /hello HTTP/1.1\r\n\(host)\r\n")
                Thread.sleep(forTimeInterval: 0.3)
                let first = try c.readResponse()
                let second = try c.readResponse()
                let third = try c.readResponse()
                #expect(first.status == 200 && first.header("Content-Length") == "3000000")
                #expect(first.body == patternBytes(3_000_000))
                #expect(second.body == patternBytes(200_000))
                #expect(third.bodyString == "hello")
            }
        }
    }

    @Test func headOfALargeBody_sendsTheLengthButNoBytes() async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                try c.send("HEAD /pattern/1000000 HTTP/1.1\r\n\(host)\r\n")
                let head = try c.readResponse(head: true)
                #expect(head.header("Content-Length") == "1000000")
                #expect(head.body.isEmpty)
                try c.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
                #expect(try c.readResponse().bodyString == "hello")
            }
        }
    }

    @Test func clientHalfClose_afterRequest_stillGetsTheResponse() async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                try c.send("GET /sleep/50 HTTP/1.1\r\n\(host)\r\n")
                c.shutdownWrite()
                #expect(try c.readResponse().bodyString == "slept 50")
                #expect(c.isClosedByPeer())
            }
        }
    }

    @Test func requestArrivingOneByteAtATime_isServed() async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                for byte in Array("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nbytes".utf8) {
                    try c.send([byte])
                    Thread.sleep(forTimeInterval: 0.002)
                }
                #expect(try c.readResponse().bodyString == "bytes")
            }
        }
    }

    @Test func handlers_neverRunOnEventLoopThreads() async throws {
        let router = Router()
        router.get("/thread") { _, _ in
            .text((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?")
        }
        try await withServer(router: router) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                for _ in 0..<5 {
                    try c.send("GET /thread HTTP/1.1\r\n\(host)\r\n")
                    let name = try c.readResponse().bodyString
                    #expect(!name.hasPrefix(HTTPServer.loopThreadNamePrefix), "handler ran on \(name)")
                }
            }
            // The loop threads really carry that name, so the check above means something.
            let dir = "/proc/self/task"
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).map {
                (try? String(contentsOfFile: "\(dir)/\($0)/comm", encoding: .utf8)) ?? ""
            }
            #expect(names.contains { $0.hasPrefix(HTTPServer.loopThreadNamePrefix) })
        }
    }
}
