import Foundation
import Synchronization
import Testing
import TPGWCore
@testable import TPGWHTTP
#if canImport(Glibc)
import Glibc
#endif

/// The head gate decides on a body before it is read; the body budget bounds what all connections buffer.
@Suite struct HTTPServerHeadGateTests {
    /// Lets a body through only with `Authorization: Bearer good`.
    static let gate: HeadGate = { head in
        head.headers["Authorization"] == "Bearer good"
            ? nil : HTTPProblem(.unauthorized, code: "unauthorized", detail: "missing or unknown key")
    }

    final class CallCount: Sendable {
        private let count = Atomic<Int>(0)
        func increment() { count.add(1, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }

    /// A router whose `/echo` counts the requests that reached it.
    static func countingRouter(_ calls: CallCount) -> Router {
        let router = Router()
        router.post("/echo") { request, _ in
            calls.increment()
            return .bytes(request.body, contentType: "application/octet-stream")
        }
        return router
    }

    @Test func refusedHead_is401AndClosed_afterOnlyTheHeadWasSent() async throws {
        let calls = CallCount()
        try await withServer(router: Self.countingRouter(calls), headGate: Self.gate) { port, server in
            try await offPool {
                let client = try RawClient(port: port, receiveTimeout: 3)
                // 1 MiB announced, not a byte of it sent: the answer must not wait for it.
                try client.send("POST /echo HTTP/1.1\r\n\(host)Content-Length: 1048576\r\n\r\n")
                let r = try client.readResponse()
                #expect(r.status == 401)
                #expect(r.header("Content-Type") == "application/problem+json")
                #expect(r.bodyString.contains("\"code\":\"unauthorized\""))
                #expect(r.header("Connection") == "close")
                #expect(client.isClosedByPeer())
            }
            #expect(calls.value == 0)
            #expect(server.bodyBytesReserved == 0)
        }
    }

    @Test func admittedHead_readsTheBody_andKeepsTheConnection() async throws {
        let calls = CallCount()
        try await withServer(router: Self.countingRouter(calls), headGate: Self.gate) { port, server in
            try await offPool {
                let client = try RawClient(port: port)
                for _ in 0..<2 {
                    try client.send("POST /echo HTTP/1.1\r\n\(host)Authorization: Bearer good\r\nContent-Length: 5\r\n\r\nhello")
                    let r = try client.readResponse()
                    #expect(r.status == 200)
                    #expect(r.bodyString == "hello")
                }
                // No body: the gate is not asked (handlers authenticate those themselves).
                try client.send("POST /echo HTTP/1.1\r\n\(host)Content-Length: 0\r\n\r\n")
                #expect(try client.readResponse().status == 200)
            }
            #expect(calls.value == 3)
            #expect(server.bodyBytesReserved == 0)
        }
    }

    @Test func expectContinue_refused_is401Not100() async throws {
        try await withServer(router: makeTestRouter(), headGate: Self.gate) { port, _ in
            try await offPool {
                let client = try RawClient(port: port)
                try client.send("POST /echo HTTP/1.1\r\n\(host)Expect: 100-continue\r\nContent-Length: 4\r\n\r\n")
                let r = try client.readResponse()
                #expect(r.status == 401)
                #expect(client.isClosedByPeer())
            }
        }
    }

    @Test func expectContinue_admitted_gets100ThenTheResponse() async throws {
        try await withServer(router: makeTestRouter(), headGate: Self.gate) { port, _ in
            try await offPool {
                let client = try RawClient(port: port)
                try client.send("POST /echo HTTP/1.1\r\n\(host)Authorization: Bearer good\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
                #expect(try client.readResponse().status == 100)
                try client.send("body")
                let r = try client.readResponse()
                #expect(r.status == 200)
                #expect(r.bodyString == "body")
            }
        }
    }

    @Test func bodyBudget_refusesWhatWouldExceedIt_with503RetryAfter_andIsGivenBack() async throws {
        try await withServer({ $0.maxBufferedBodyBytes = 1000 }, router: makeTestRouter()) { port, server in
            try await offPool {
                // A holds 800 bytes of the budget while its body is half sent.
                let a = try RawClient(port: port)
                try a.send("POST /echo HTTP/1.1\r\n\(host)Content-Length: 800\r\n\r\n" + String(repeating: "a", count: 400))
                var waited = 0
                while server.bodyBytesReserved != 800 && waited < 200 { usleep(10_000); waited += 1 }
                #expect(server.bodyBytesReserved == 800)

                let b = try RawClient(port: port)
                try b.send("POST /echo HTTP/1.1\r\n\(host)Content-Length: 300\r\n\r\n")
                let refused = try b.readResponse()
                #expect(refused.status == 503)
                #expect(refused.header("Retry-After") == "1")
                #expect(refused.bodyString.contains("\"code\":\"unavailable\""))
                #expect(b.isClosedByPeer())

                // Larger than the whole budget: 413, it could never fit.
                let c = try RawClient(port: port)
                try c.send("POST /echo HTTP/1.1\r\n\(host)Content-Length: 1001\r\n\r\n")
                #expect(try c.readResponse().status == 413)

                // A finishes: its share comes back and the next body fits.
                try a.send(String(repeating: "a", count: 400))
                #expect(try a.readResponse().status == 200)
                let d = try RawClient(port: port)
                try d.send("POST /echo HTTP/1.1\r\n\(host)Content-Length: 300\r\n\r\n" + String(repeating: "d", count: 300))
                #expect(try d.readResponse().status == 200)
            }
            // A connection that closes mid-body gives its share back too.
            try await offPool {
                let e = try RawClient(port: port)
                try e.send("POST /echo HTTP/1.1\r\n\(host)Content-Length: 900\r\n\r\nxx")
                var waited = 0
                while server.bodyBytesReserved != 900 && waited < 200 { usleep(10_000); waited += 1 }
                #expect(server.bodyBytesReserved == 900)
            }
            var waited = 0
            while server.bodyBytesReserved != 0 && waited < 200 { try await Task.sleep(for: .milliseconds(10)); waited += 1 }
            #expect(server.bodyBytesReserved == 0)
        }
    }
}
