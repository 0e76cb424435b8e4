import Foundation
import Testing
@testable import TPGWHTTP

/// Timeouts configured short (200 ms); the server sweeps at a quarter of the shortest.
@Suite struct HTTPServerTimeoutTests {
    static func short(_ c: inout HTTPServer.Configuration) {
        c.headerReadTimeout = .milliseconds(200)
        c.bodyReadTimeout = .milliseconds(200)
        c.idleTimeout = .milliseconds(200)
        c.writeTimeout = .milliseconds(200)
    }

    @Test func slowloris_isCutOffAtTheHeaderDeadline_notResetPerByte() async throws {
        try await withServer(Self.short, router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                let start = Date()
                let request = Array("GET /hello HTTP/1.1\r\nHost: test\r\nX-Slow: " + String(repeating: "z", count: 100))
                for ch in request {
                    try c.send(String(ch))
                    if c.waitReadable(seconds: 0.04) { break }  // the server answered
                    if Date().timeIntervalSince(start) > 2 { break }
                }
                let r = try c.readResponse()
                let elapsed = Date().timeIntervalSince(start)
                #expect(r.status == 408)
                #expect(r.bodyString.contains("requestTimeout"))
                #expect(elapsed > 0.15 && elapsed < 1.2, "cut off after \(elapsed)s")
                #expect(c.isClosedByPeer())
            }
        }
    }

    @Test func slowBody_isCutOffAtTheBodyDeadline() async throws {
        try await withServer(Self.short, router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                try c.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\nonly-part")
                let start = Date()
                let r = try c.readResponse()
                #expect(r.status == 408)
                #expect(Date().timeIntervalSince(start) < 1.2)
            }
        }
    }

    @Test func idleKeepAliveConnection_isClosedAfterIdleTimeout() async throws {
        try await withServer(Self.short, router: makeTestRouter()) { port, server in
            try await offPool {
                let c = try RawClient(port: port)
                try c.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n")
                #expect(try c.readResponse().status == 200)
                let start = Date()
                #expect(c.isClosedByPeer())  // EOF, no 408: idle is not an error
                let elapsed = Date().timeIntervalSince(start)
                #expect(elapsed > 0.1 && elapsed < 1.2, "closed after \(elapsed)s")
            }
            var count = server.connectionCount
            for _ in 0..<20 where count != 0 {
                try await Task.sleep(for: .milliseconds(10))
                count = server.connectionCount
            }
            #expect(count == 0)
        }
    }

    @Test func silentNewConnection_isClosedAtTheHeaderDeadline() async throws {
        try await withServer(Self.short, router: makeTestRouter()) { port, _ in
            try await offPool {
                let c = try RawClient(port: port)
                let start = Date()
                #expect(c.isClosedByPeer())
                #expect(Date().timeIntervalSince(start) < 1.2)
            }
        }
    }

    @Test func clientNotReading_isDroppedAtTheWriteDeadline() async throws {
        try await withServer(Self.short, router: makeTestRouter()) { port, server in
            let c = try await offPool { () -> RawClient in
                let c = try RawClient(port: port)
                // 64 MB cannot fit in socket buffers; we never read it.
                try c.send("GET /big/64000000 HTTP/1.1\r\nHost: test\r\n\r\n")
                return c
            }
            var count = -1
            for _ in 0..<40 {
                try await Task.sleep(for: .milliseconds(50))
                count = server.connectionCount
                if count == 0 { break }
            }
            #expect(count == 0)
            _ = c
        }
    }
}
