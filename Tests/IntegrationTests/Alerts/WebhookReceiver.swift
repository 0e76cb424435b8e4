import Foundation
import TPGWCore
import TPGWHTTP

/// A webhook receiver on 127.0.0.1 port 0 (TPGWHTTP's server) that records every request and answers as told.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        var path: String
        var headers: [String: String]
        var body: [UInt8]
        var at: Date
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
        var deliveryID: String? { headers["x-tpgw-delivery"] }
    }

    /// What to answer to the n-th request (1-based); nil: hang until the server shuts down.
    typealias Behaviour = @Sendable (Int, HTTPRequest) async -> HTTPResponse?

    let server: HTTPServer
    let port: Int
    private let log: LockedValue<[Received]>

    var url: String { "http://127.0.0.1:\(port)/hook" }
    var received: [Received] { log.value }

    static func start(_ behaviour: @escaping Behaviour = { _, _ in .json(Array("{\"ok\":true}".utf8)) }) throws -> WebhookReceiver {
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

    func stop() async { await server.shutdown() }
}

/// A wall-clock `Date` tests move by hand (for code that takes `now: () -> Date`; loops take `ManualClock`).
final class ManualDate: Sendable {
    private let value: LockedValue<Date>
    init(_ start: Date) { value = LockedValue(start) }
    var now: Date { value.value }
    func advance(_ seconds: TimeInterval) { value.withLock { $0 = $0.addingTimeInterval(seconds) } }
    func set(_ date: Date) { value.withLock { $0 = date } }
}
