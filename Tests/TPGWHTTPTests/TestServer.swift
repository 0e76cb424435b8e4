import Foundation
import TPGWCore
@testable import TPGWHTTP

/// Runs `body` against a live server on 127.0.0.1 port 0, then shuts it down.
func withServer<T>(
    _ configure: (inout HTTPServer.Configuration) -> Void = { _ in },
    router: Router,
    headGate: HeadGate? = nil,
    logSink: MemoryLogSink = MemoryLogSink(),
    _ body: (Int, HTTPServer) async throws -> T
) async throws -> T {
    var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
    configuration.eventLoopThreads = 2
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, handler: router.makeHandler(), headGate: headGate,
                            logger: Logger(label: "test", level: .info, sink: logSink))
    let port = try server.start()
    do {
        let result = try await body(port, server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

/// A router with the routes most server tests use.
func makeTestRouter() -> Router {
    let router = Router()
    router.get("/hello") { _, _ in .text("hello") }
    router.post("/echo") { request, _ in .bytes(request.body, contentType: "application/octet-stream") }
    router.get("/sleep/{ms}") { request, context in
        let ms = Int(context.parameters["ms"] ?? "0") ?? 0
        try await Task.sleep(for: .milliseconds(ms))
        return .text("slept \(ms)")
    }
    router.get("/big/{bytes}") { _, context in
        .bytes([UInt8](repeating: 0x61, count: Int(context.parameters["bytes"] ?? "0") ?? 0), contentType: "text/plain")
    }
    router.get("/pattern/{bytes}") { _, context in
        .bytes(patternBytes(Int(context.parameters["bytes"] ?? "0") ?? 0), contentType: "application/octet-stream")
    }
    router.get("/fail") { _, _ in throw CocoaError(.fileNoSuchFile) }
    return router
}

let host = "Host: test\r\n"

/// `count` bytes where byte `i` is `i % 251`: a body whose every position can be checked.
func patternBytes(_ count: Int) -> [UInt8] { (0..<count).map { UInt8($0 % 251) } }
