import Foundation
import Testing
import TPGWCore
@testable import TPGWHTTP

@Suite struct HTTPServerShutdownTests {
    @Test func gracefulShutdown_letsInFlightRequestFinish_closesIdle_andStopsAccepting() async throws {
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.eventLoopThreads = 2
        let server = HTTPServer(configuration: configuration, handler: makeTestRouter().makeHandler(), logger: .disabled)
        let port = try server.start()
        let idle = try await offPool { () -> RawClient in
            let c = try RawClient(port: port)
            try c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try c.readResponse()
            return c
        }
        // Connected and sent before the shutdown starts (a connect still pending then would be refused).
        let sleeper = try await offPool { () -> RawClient in
            let c = try RawClient(port: port)
            try c.send("GET /sleep/400 HTTP/1.1\r\nHost: t\r\n\r\n")
            return c
        }
        let inFlight = Task { try await offPool { try sleeper.readResponse() } }
        try await Task.sleep(for: .milliseconds(100))
        let start = ContinuousClock.now
        await server.shutdown()
        let took = ContinuousClock.now - start
        let response = try await inFlight.value
        #expect(response.status == 200)
        #expect(response.bodyString == "slept 400")
        #expect(response.header("Connection") == "close")
        #expect(took >= .milliseconds(250) && took < .seconds(3))
        #expect(try await offPool { idle.isClosedByPeer() })
        await #expect(throws: (any Error).self) {
            try await offPool { _ = try RawClient(port: port) }
        }
    }

    @Test func shutdown_forceClosesAtTheDeadline() async throws {
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.shutdownDeadline = .milliseconds(300)
        let server = HTTPServer(configuration: configuration, handler: makeTestRouter().makeHandler(), logger: .disabled)
        let port = try server.start()
        // Connected and sent before the shutdown starts (a connect still pending then would be refused).
        let client = try await offPool { () -> RawClient in
            let c = try RawClient(port: port)
            try c.send("GET /sleep/5000 HTTP/1.1\r\nHost: t\r\n\r\n")
            return c
        }
        let stuck = Task { try await offPool { client.isClosedByPeer() } }
        try await Task.sleep(for: .milliseconds(100))
        let start = ContinuousClock.now
        await server.shutdown()
        // Well before the handler's 5 s (the deadline is 300 ms; a loaded machine adds to it).
        #expect(ContinuousClock.now - start < .seconds(4))
        #expect(try await stuck.value)
    }

    @Test func run_returnsAfterShutdown_andShutdownBeforeStartIsHarmless() async throws {
        let unstarted = HTTPServer(configuration: .init(), handler: { _, _ in .text("x") }, logger: .disabled)
        await unstarted.shutdown()
        let server = HTTPServer(configuration: .init(), handler: { _, _ in .text("x") }, logger: .disabled)
        let running = Task { try await server.run() }
        while server.localPort == nil { try await Task.sleep(for: .milliseconds(5)) }
        await server.shutdown()
        try await running.value
    }
}
