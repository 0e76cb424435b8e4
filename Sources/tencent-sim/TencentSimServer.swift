import Foundation
import Synchronization
import TPGWCore
import TPGWHTTP
import TPGWTencent

/// Runs a `TencentSimulator` behind one TPGWHTTP server (all regions on one port: the region is a header), in
/// process (tests) or from `tencent-sim`.
///
/// ```swift
/// let sim = try await TencentSimServer.start(regions: ["ap-guangzhou"], secretID: "AKID…", secretKey: "…")
/// sim.baseURL                                   // http://127.0.0.1:<port>
/// sim.setFault(region: "ap-guangzhou", .error("RequestLimitExceeded", times: 2))
/// await sim.stop()
/// ```
/// Control endpoints (no signature): `POST /__sim/faults {…TencentSimFault, "region": "ap-guangzhou"|"*"}`,
/// `DELETE /__sim/faults`, `GET /__sim/state`, `POST /__sim/advance {"seconds": 3600}` (simulated time moves,
/// usage grows; it also moves by itself at `timeScale` simulated seconds per real second).
package final class TencentSimServer: Sendable {
    private let state: Mutex<TencentSimulator>
    private let server: Mutex<HTTPServer?>
    private let stopping = Atomic<Bool>(false)
    let port: Int
    let host: String

    private init(state: TencentSimulator, host: String, port: Int) {
        self.state = Mutex(state)
        self.server = Mutex(nil)
        self.host = host
        self.port = port
    }

    package static func start(
        regions: [String], secretID: String, secretKey: String, packagesPerRegion: Int = 20, seed: UInt64 = 1, limitCap: Int = 100,
        quota: Int = 5000, timeScale: Double = 0, host: String = "127.0.0.1", port: Int = 0, logger: Logger = .disabled
    ) async throws -> TencentSimServer {
        var config = TencentSimulator.Configuration(regions: regions, secretID: secretID, secretKey: secretKey)
        config.packagesPerRegion = packagesPerRegion
        config.seed = seed
        config.limitCap = limitCap
        config.quota = quota
        config.timeScale = timeScale
        let sim = TencentSimulator(configuration: config, realNow: Date())
        var sc = HTTPServer.Configuration(host: host, port: port)
        sc.accessLog = false
        sc.eventLoopThreads = 1
        sc.shutdownDeadline = .milliseconds(500)
        let box = Box()
        let server = HTTPServer(configuration: sc, handler: Self.handler(box), logger: logger)
        let bound = try server.start()
        let s = TencentSimServer(state: sim, host: host, port: bound)
        s.server.withLock { $0 = server }
        box.sim.withLock { $0 = s }
        return s
    }

    /// Lets the handler reach the server without a cycle at init.
    private final class Box: Sendable {
        let sim = Mutex<TencentSimServer?>(nil)
    }

    package var baseURL: String { "http://\(host):\(port)" }
    var regions: [String] { state.withLock { $0.configuration.regions } }

    package func setFault(region: String, _ fault: TencentSimFault) {
        _ = state.withLock { $0.setFault(fault, region: region) }
    }

    func clearFaults() {
        state.withLock { s in for r in s.configuration.regions { _ = s.setFault(TencentSimFault(), region: r) } }
    }

    /// Moves simulated time forward; usage grows and packages run out or expire.
    func advance(seconds: TimeInterval) {
        state.withLock { $0.advance(seconds: seconds, real: Date()) }
    }

    func requestCount(region: String) -> Int { state.withLock { $0.regions[region]?.requestCount ?? 0 } }

    /// Runs `body` on the simulator state (tests).
    package func withSimulator<T>(_ body: (inout TencentSimulator) -> T) -> T { state.withLock { body(&$0) } }

    package func stop() async {
        stopping.store(true, ordering: .relaxed)
        if let s = server.withLock({ $0 }) { await s.shutdown() }
    }

    /// The `{"port":N,"regions":{"ap-guangzhou":N,…}}` line printed at startup.
    package var portsJSON: String {
        "{\"port\":\(port),\"regions\":{" + regions.map { "\(JSONString.quote($0)):\(port)" }.joined(separator: ",") + "}}"
    }

    // MARK: Handler

    private static func handler(_ box: Box) -> HTTPHandler {
        { request, _ in
            guard let sim = box.sim.withLock({ $0 }) else { return HTTPResponse(status: .serviceUnavailable) }
            if request.path.hasPrefix("/__sim/") { return sim.control(request) }
            let r = TencentSimRequest(
                method: request.method.rawValue, path: request.path, rawQuery: request.query ?? "",
                headers: request.headers.map { ($0.name, $0.value) }, body: request.body)
            let reply = sim.state.withLock { $0.handle(r, realNow: Date()) }
            if reply.delayMs > 0 { try? await Task.sleep(for: .milliseconds(reply.delayMs)) }
            switch reply.action {
            case .hang:
                for _ in 0..<6000 where !sim.stopping.load(ordering: .relaxed) { try? await Task.sleep(for: .milliseconds(100)) }
                var resp = HTTPResponse(status: .gatewayTimeout)
                resp.abortConnection = true
                return resp
            case .close:
                var resp = HTTPResponse()
                resp.abortConnection = true
                return resp
            case .respond:
                return HTTPResponse(status: HTTPStatus(code: reply.status), headers: ["Content-Type": reply.contentType, "Server": "tencent-sim"], body: Array(reply.body.utf8))
            }
        }
    }

    private func control(_ request: HTTPRequest) -> HTTPResponse {
        func json(_ status: Int, _ body: String) -> HTTPResponse {
            HTTPResponse(status: HTTPStatus(code: status), headers: ["Content-Type": "application/json"], body: Array(body.utf8))
        }
        switch (request.method, request.path) {
        case (.POST, "/__sim/faults"):
            let fault: TencentSimFault
            do {
                fault = try JSONDecoder().decode(TencentSimFault.self, from: Data(request.body.isEmpty ? Array("{}".utf8) : request.body))
            } catch {
                return json(400, "{\"error\":\(JSONString.quote("invalid fault: \(error)"))}")
            }
            var target = "*"
            if let r = (try? WireScanner.members(request.body, ["region"]))?["region"]?.stringValue { target = r }
            let ok = state.withLock { s -> Bool in
                let targets = target == "*" ? s.configuration.regions : [target]
                return targets.allSatisfy { s.setFault(fault, region: $0) }
            }
            return ok ? json(200, "{\"region\":\(JSONString.quote(target))}") : json(400, "{\"error\":\"unknown region\"}")
        case (.POST, "/__sim/advance"):
            guard let doc = try? JSONValue.parse(request.body), let seconds = doc["seconds"]?.doubleValue, seconds.isFinite, seconds >= 0,
                  seconds <= 10 * 365 * 86400
            else { return json(400, "{\"error\":\"expected {\\\"seconds\\\": N} with 0 <= N <= 10 years\"}") }
            advance(seconds: seconds)
            return json(200, "{\"advanced\":\(seconds)}")
        case (.DELETE, "/__sim/faults"):
            clearFaults()
            return json(200, "{}")
        case (.GET, "/__sim/state"):
            let body = state.withLock { s -> String in
                let regions = s.configuration.regions.map { r in
                    "\(JSONString.quote(r)):{\"packages\":\(s.packageCount(region: r)),\"requests\":\(s.regions[r]?.requestCount ?? 0)}"
                }
                return "{\"regions\":{\(regions.joined(separator: ","))}}"
            }
            return json(200, body)
        default:
            return json(404, "{\"error\":\"unknown control endpoint\"}")
        }
    }
}
