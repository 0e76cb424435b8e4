import Foundation
import Testing
@testable import TPGWHTTP

/// Each limit answers with its status and problem code, then closes the connection.
@Suite struct HTTPServerLimitTests {
    static let cases: [(name: String, request: String, status: Int, code: String)] = [
        ("long request line", "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\n\(host)\r\n", 414, "uriTooLong"),
        ("header bytes", "GET /hello HTTP/1.1\r\n\(host)" + String(repeating: "X-Pad: " + String(repeating: "p", count: 1000) + "\r\n", count: 40) + "\r\n",
         431, "headersTooLarge"),
        ("header count", "GET /hello HTTP/1.1\r\n\(host)" + (0..<120).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431, "headersTooLarge"),
        ("malformed request line", "GET /hello\r\n\r\n", 400, "badRequest"),
        ("malformed header", "GET /hello HTTP/1.1\r\n\(host)Bad Header: x\r\n\r\n", 400, "badRequest"),
        ("two content lengths", "POST /echo HTTP/1.1\r\n\(host)Content-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400, "badRequest"),
        ("negative content length", "POST /echo HTTP/1.1\r\n\(host)Content-Length: -2\r\n\r\nab", 400, "badRequest"),
        ("smuggling CL+TE", "POST /echo HTTP/1.1\r\n\(host)Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "badRequest"),
        ("malformed chunk", "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nxyz\r\n", 400, "badRequest"),
        ("method not a token", "BR@W /pot HTTP/1.1\r\n\(host)\r\n", 400, "badRequest"),
        ("HTTP/2.0", "GET /hello HTTP/2.0\r\n\(host)\r\n", 505, "versionNotSupported"),
    ]

    @Test(arguments: cases)
    func violation_isAnsweredWithItsStatus_andClosed(_ c: (name: String, request: String, status: Int, code: String)) async throws {
        try await withServer(router: makeTestRouter()) { port, _ in
            try await offPool {
                let client = try RawClient(port: port)
                try client.send(c.request)
                let r = try client.readResponse()
                #expect(r.status == c.status, "\(c.name)")
                #expect(r.header("Content-Type") == "application/problem+json")
                #expect(r.bodyString.contains("\"code\":\"\(c.code)\""), "\(c.name): \(r.bodyString)")
                #expect(r.header("X-Request-Id") != nil)
                #expect(r.header("Connection") == "close")
                #expect(client.isClosedByPeer(), "\(c.name)")
            }
        }
    }

    @Test func oversizedBody_is413_beforeTheBodyIsSent() async throws {
        try await withServer({ $0.maxBodyBytes = 1000 }, router: makeTestRouter()) { port, _ in
            try await offPool {
                let client = try RawClient(port: port)
                // Only the head goes out; the answer must not wait for 50 MB.
                try client.send("POST /echo HTTP/1.1\r\n\(host)Content-Length: 50000000\r\n\r\n")
                let r = try client.readResponse()
                #expect(r.status == 413)
                #expect(r.bodyString.contains("payloadTooLarge"))
                #expect(client.isClosedByPeer())
            }
        }
    }

    @Test func oversizedChunkedBody_is413() async throws {
        try await withServer({ $0.maxBodyBytes = 1000 }, router: makeTestRouter()) { port, _ in
            try await offPool {
                let client = try RawClient(port: port)
                try client.send("POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n400\r\n" + String(repeating: "x", count: 1024) + "\r\n")
                let r = try client.readResponse()
                #expect(r.status == 413)
            }
        }
    }

    @Test func configuredLimits_areApplied() async throws {
        try await withServer({ $0.maxRequestLineBytes = 64; $0.maxHeaderCount = 3 }, router: makeTestRouter()) { port, _ in
            try await offPool {
                let a = try RawClient(port: port)
                try a.send("GET /" + String(repeating: "a", count: 70) + " HTTP/1.1\r\n\(host)\r\n")
                #expect(try a.readResponse().status == 414)
                let b = try RawClient(port: port)
                try b.send("GET /hello HTTP/1.1\r\n\(host)A: 1\r\nB: 2\r\nC: 3\r\n\r\n")
                #expect(try b.readResponse().status == 431)
                let ok = try RawClient(port: port)
                try ok.send("GET /hello HTTP/1.1\r\n\(host)A: 1\r\n\r\n")
                #expect(try ok.readResponse().status == 200)
            }
        }
    }

    @Test func connectionLimit_refusesExtraConnectionsPolitely_andKeepsExistingOnes() async throws {
        try await withServer({ $0.maxConnections = 5 }, router: makeTestRouter()) { port, server in
            try await offPool {
                var clients: [RawClient] = []
                for _ in 0..<5 {
                    let c = try RawClient(port: port)
                    try c.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
                    #expect(try c.readResponse().status == 200)
                    clients.append(c)
                }
                #expect(server.connectionCount == 5)
                let extra = try RawClient(port: port)
                let refused = try extra.readResponse()
                #expect(refused.status == 503)
                #expect(refused.header("Connection") == "close")
                #expect(extra.isClosedByPeer())
                for c in clients {
                    try c.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
                    #expect(try c.readResponse().status == 200)
                }
                // A slot frees up when one closes.
                clients.removeLast()
                Thread.sleep(forTimeInterval: 0.2)
                let again = try RawClient(port: port)
                try again.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
                #expect(try again.readResponse().status == 200)
            }
        }
    }
}
