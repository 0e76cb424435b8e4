import Foundation
import TPGWCore
import TPGWHTTP

/// A webhook receiver on 127.0.0.1 port 0 (TPGWHTTP's server) that records every request and answers as told.
package final class WebhookReceiver: Sendable {
    package struct Received: Sendable {
        package var path: String
        package var headers: [String: String]
        package var body: [UInt8]
        package var at: Date
        package var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
        package var deliveryID: String? { headers["x-tpgw-delivery"] }
    }

    /// What to answer to the n-th request (1-based); nil: hang until the server shuts down.
    package typealias Behaviour = @Sendable (Int, HTTPRequest) async -> HTTPResponse?

    package let server: HTTPServer
    package let port: Int
    private let log: LockedValue<[Received]>

    package var url: String { "http://127.0.0.1:\(port)/hook" }
    package var received: [Received] { log.value }

    package static func start(_ behaviour: @escaping Behaviour = { _, _ in .json(Array("{\"ok\":true}".utf8)) }) throws -> WebhookReceiver {
        let log = LockedValue<[Received]>([])
        let counter = LockedValue(0)
        var config = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        config.accessLog = false
        config.eventLoopThreads = 1
        config.shutdownDeadline = .milliseconds(300)
        let server = HTTPServer(configuration: config, handler: { request, _ in
            var headers: [String: String] = [:]
            for (name, value) in request.headers { headers[name.lowercased()] = value }
            log.withLock { $0.append(Received(path: request.path, headers: headers, body: request.body, at: Date())) }
            let n = counter.withLock { c -> Int in
                c += 1
                return c
            }
            if let response = await behaviour(n, request) { return response }
            try? await Task.sleep(for: .seconds(30))
            return HTTPResponse(status: .serviceUnavailable)
        }, logger: .disabled)
        let port = try server.start()
        return WebhookReceiver(server: server, port: port, log: log)
    }

    private init(server: HTTPServer, port: Int, log: LockedValue<[Received]>) {
        self.server = server
        self.port = port
        self.log = log
    }

    package func stop() async { await server.shutdown() }
}
