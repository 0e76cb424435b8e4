import Foundation
import Synchronization
import TPGWBCE
import TPGWCore
import TPGWCrypto
import TPGWHTTP

/// Runs a `Simulator` behind one TPGWHTTP server per region, in-process (tests) or from `bce-sim`.
///
/// ```swift
/// let sim = try await SimulatorServer.start(regions: ["bj", "gz"], ak: "AK", sk: "SK", packagesPerRegion: 2500, seed: 7)
/// let url = sim.baseURL(for: "bj")          // http://127.0.0.1:<port>
/// sim.port(for: "gz")
/// sim.advance(seconds: 3600)                // simulated time moves; usage grows
/// sim.setFault(region: "bj", .error(status: 503, code: "ServiceUnavailable", times: 2))
/// sim.clearFaults()
/// await sim.stop()
/// ```
/// Control endpoints on every port (no signature needed):
/// `POST /__sim/advance {"seconds": 3600}`, `POST /__sim/faults {…SimFault, "region": "bj"|"*"}`,
/// `DELETE /__sim/faults`, `GET /__sim/state`, `POST /__sim/inject {"region": "bj"|"*", "packages": [{…}, "raw text"]}`
/// (objects, or strings taken verbatim, appended to the last page of every list until replaced; `[]` clears).
package final class SimulatorServer: Sendable {
    /// The shared simulator state behind a lock.
    final class State: Sendable {
        private let mutex: Mutex<Simulator>
        init(_ s: Simulator) { mutex = Mutex(s) }
        func withLock<T>(_ body: (inout Simulator) -> T) -> T { mutex.withLock { body(&$0) } }
    }

    private let state: State
    private let servers: [String: HTTPServer]
    private let ports: [String: Int]
    private let host: String
    private let stopping = Atomic<Bool>(false)

    private init(state: State, servers: [String: HTTPServer], ports: [String: Int], host: String) {
        self.state = state
        self.servers = servers
        self.ports = ports
        self.host = host
    }

    /// Starts one server per region on `basePort + index` (or on free ports when `basePort` is 0).
    package static func start(
        regions: [String], ak: String, sk: String, packagesPerRegion: Int = 20, seed: UInt64 = 1, maxKeysCap: Int = 1000,
        capacityAsStrings: Bool = false, timeScale: Double = 1, demo: Bool = false, host: String = "127.0.0.1", basePort: Int = 0,
        logger: Logger = .disabled
    ) async throws -> SimulatorServer {
        var config = Simulator.Configuration(regions: regions, accessKeyID: ak, secretAccessKey: sk)
        config.packagesPerRegion = packagesPerRegion
        config.seed = seed
        config.maxKeysCap = maxKeysCap
        config.capacityAsStrings = capacityAsStrings
        config.timeScale = timeScale
        config.demo = demo
        let state = State(Simulator(configuration: config, realNow: Date()))
        let box = ServerBox()
        var servers: [String: HTTPServer] = [:]
        var ports: [String: Int] = [:]
        do {
            for (n, region) in regions.enumerated() {
                var sc = HTTPServer.Configuration(host: host, port: basePort == 0 ? 0 : basePort + n)
                sc.accessLog = false
                sc.eventLoopThreads = 1
                sc.shutdownDeadline = .milliseconds(500)
                let server = HTTPServer(configuration: sc, handler: Self.handler(region: region, state: state, box: box), logger: logger)
                servers[region] = server
                ports[region] = try server.start()
            }
        } catch {
            for s in servers.values { await s.shutdown() }
            throw error
        }
        let sim = SimulatorServer(state: state, servers: servers, ports: ports, host: host)
        box.server.withLock { $0 = sim }
        return sim
    }

    /// Lets handlers see the server (for hang/stop) without a reference cycle at init.
    private final class ServerBox: Sendable {
        let server = Mutex<SimulatorServer?>(nil)
        var isStopping: Bool { server.withLock { $0?.stopping.load(ordering: .relaxed) ?? false } }
    }

    var regions: [String] { ports.keys.sorted() }

    func port(for region: String) -> Int { ports[region] ?? 0 }

    package func baseURL(for region: String) -> String { "http://\(host):\(port(for: region))" }

    /// Moves simulated time forward.
    func advance(seconds: TimeInterval) {
        state.withLock { $0.advance(seconds: seconds, real: Date()) }
    }

    func setFault(region: String, _ fault: SimFault) {
        _ = state.withLock { $0.setFault(fault, region: region) }
    }

    /// Appends these package objects (JSON text, verbatim) to the last page of every list of `region`; `[]` clears.
    func inject(region: String, _ objects: [String]) {
        _ = state.withLock { $0.inject(objects, region: region) }
    }

    func clearFaults() {
        state.withLock { s in for r in s.configuration.regions { _ = s.setFault(SimFault(), region: r) } }
    }

    func packageCount(region: String) -> Int { state.withLock { $0.packageCount(region: region) } }

    func requestCount(region: String) -> Int { state.withLock { $0.regions[region]?.requestCount ?? 0 } }

    /// Create requests `region` has received.
    func createRequests(region: String) -> Int { state.withLock { $0.regions[region]?.createRequests ?? 0 } }

    /// Runs `body` on the simulator state (tests).
    func withSimulator<T>(_ body: (inout Simulator) -> T) -> T { state.withLock { body(&$0) } }

    /// Stops every server; hanging requests are released.
    package func stop() async {
        stopping.store(true, ordering: .relaxed)
        for s in servers.values { await s.shutdown() }
    }

    /// The `{"regions":{"bj":41234,...}}` line printed at startup.
    package var portsJSON: String {
        "{\"regions\":{" + regions.map { "\(JSONString.quote($0)):\(port(for: $0))" }.joined(separator: ",") + "}}"
    }

    // MARK: Handler

    private static func handler(region: String, state: State, box: ServerBox) -> HTTPHandler {
        { request, _ in
            if request.path.hasPrefix("/__sim/") { return control(request, region: region, state: state) }
            let simRequest = SimRequest(
                method: request.method.rawValue, path: request.path, rawQuery: request.query ?? "",
                headers: request.headers.map { ($0.name, $0.value) }, body: request.body)
            let r = state.withLock { $0.handle(simRequest, region: region, realNow: Date()) }
            if r.delayMs > 0 { try? await Task.sleep(for: .milliseconds(r.delayMs)) }
            switch r.action {
            case .hang:
                // Until the client gives up (its connection closes) or the simulator stops; at most 10 minutes.
                for _ in 0..<6000 where !box.isStopping { try? await Task.sleep(for: .milliseconds(100)) }
                var resp = HTTPResponse(status: .gatewayTimeout)
                resp.abortConnection = true
                return resp
            case .close:
                var resp = HTTPResponse()
                resp.abortConnection = true
                return resp
            case .respond:
                return json(r.status, r.bodyBytes, requestID: r.requestID)
            }
        }
    }

    private static func json(_ status: Int, _ body: String, requestID: String) -> HTTPResponse {
        json(status, Array(body.utf8), requestID: requestID)
    }

    private static func json(_ status: Int, _ body: [UInt8], requestID: String) -> HTTPResponse {
        HTTPResponse(
            status: HTTPStatus(code: status),
            headers: ["Content-Type": "application/json;charset=UTF-8", "x-bce-request-id": requestID, "Server": "bce-sim"],
            body: body)
    }

    private static func control(_ request: HTTPRequest, region: String, state: State) -> HTTPResponse {
        let id = "sim-control-" + Crypto.randomHex(bytes: 16)
        func bad(_ m: String) -> HTTPResponse { json(400, Simulator.errorBody("InvalidHTTPRequest", m, id), requestID: id) }
        switch (request.method, request.path) {
        case (.POST, "/__sim/advance"):
            guard case .number(let text)? = (try? WireScanner.members(request.body, ["seconds"]))?["seconds"], let seconds = Double(text),
                  seconds.isFinite, seconds >= 0
            else {
                return bad("body must be {\"seconds\": N}")
            }
            let now = state.withLock { s -> Date in
                s.advance(seconds: seconds, real: Date())
                return s.simulatedNow(real: Date())
            }
            return json(200, "{\"now\":\"\(RFC3339.format(now))\"}", requestID: id)
        case (.POST, "/__sim/faults"):
            let fault: SimFault
            do {
                fault = try JSONDecoder().decode(SimFault.self, from: Data(request.body.isEmpty ? Array("{}".utf8) : request.body))
            } catch {
                return bad("invalid fault: \(error)")
            }
            let target = (try? WireScanner.members(request.body, ["region"]))?["region"]?.stringValue ?? region
            let ok = state.withLock { s -> Bool in
                let targets = target == "*" ? s.configuration.regions : [target]
                return targets.allSatisfy { s.setFault(fault, region: $0) }
            }
            return ok ? json(200, "{\"region\":\(JSONString.quote(target))}", requestID: id) : bad("unknown region \(target)")
        case (.POST, "/__sim/inject"):
            guard let (objects, named) = injection(request.body) else {
                return bad("body must be {\"packages\": [...], \"region\": \"bj\"}")
            }
            let target = named ?? region
            let ok = state.withLock { s -> Bool in
                let targets = target == "*" ? s.configuration.regions : [target]
                return targets.allSatisfy { s.inject(objects, region: $0) }
            }
            return ok ? json(200, "{\"region\":\(JSONString.quote(target)),\"packages\":\(objects.count)}", requestID: id) : bad("unknown region \(target)")
        case (.DELETE, "/__sim/faults"):
            state.withLock { s in for r in s.configuration.regions { _ = s.setFault(SimFault(), region: r) } }
            return json(200, "{}", requestID: id)
        case (.GET, "/__sim/state"):
            let body = state.withLock { s -> String in
                let now = s.simulatedNow(real: Date())
                let regions = s.configuration.regions.map { r in
                    "\(JSONString.quote(r)):{\"packages\":\(s.packageCount(region: r)),\"requests\":\(s.regions[r]?.requestCount ?? 0),"
                        + "\"creates\":\(s.regions[r]?.createRequests ?? 0)}"
                }
                return "{\"now\":\"\(RFC3339.format(now))\",\"regions\":{\(regions.joined(separator: ","))}}"
            }
            return json(200, body, requestID: id)
        default:
            return json(404, Simulator.errorBody("InvalidURI", "unknown control endpoint", id), requestID: id)
        }
    }

    /// `{"packages": [...], "region": "bj"}` of `/__sim/inject`: each package as its JSON text as sent (a string
    /// element is that text itself), and the region when it is a string; nil when there is no `packages` array.
    private static func injection(_ body: [UInt8]) -> (packages: [String], region: String?)? {
        body.withUnsafeBufferPointer { buf -> (packages: [String], region: String?)? in
            var s = WireScanner(buf)
            var packages: [String]? = nil
            var region: String? = nil
            do throws(WireScanner.Failure) {
                try s.beginObject()
                while let key = try s.nextKey() {
                    if s.key(key, is: "packages") {
                        guard s.peek(UInt8(ascii: "[")) else {
                            try s.skipValue()
                            packages = nil
                            continue
                        }
                        var items: [String] = []
                        try s.beginArray()
                        while try s.nextElement() {
                            let start = s.offset
                            let item = try s.scalar()
                            items.append(item.stringToken.map { s.string($0) } ?? String(decoding: s.slice(start..<s.offset), as: UTF8.self))
                        }
                        packages = items
                    } else if s.key(key, is: "region") {
                        region = try s.scalar().stringToken.map { s.string($0) }
                    } else {
                        try s.skipValue()
                    }
                }
                try s.end()
            } catch {
                return nil
            }
            return packages.map { ($0, region) }
        }
    }
}
