import Foundation
import TPGWCore
import TPGWHTTPClient
import TPGWStore
import bce_sim
import TPGWGateway

/// A real `tpgw` on 127.0.0.1 port 0: its own test schema, bce-sim in-process behind it, libcurl in front,
/// API keys for each scope, and every log line kept in memory (to check that no secret ever shows up).
package struct GatewayHarness {
    package static let ak = "AKAPITEST00000001"
    package static let sk = "SK-api-test-secret-0123456789"

    package let db: TestDatabase
    package let sim: SimulatorServer
    package let app: Application
    package let running: RunningGateway
    package let client: HTTPClient
    package let logs: MemoryLogSink
    /// API keys by name: `read`, `write`, `admin`.
    package let keys: [String: String]

    package var baseURL: String { "http://127.0.0.1:\(running.port)" }

    /// A harness over parts a test started itself (e.g. a gateway whose database goes through an `OutageProxy`).
    package init(
        db: TestDatabase, sim: SimulatorServer, app: Application, running: RunningGateway, client: HTTPClient, logs: MemoryLogSink,
        keys: [String: String]
    ) {
        self.db = db
        self.sim = sim
        self.app = app
        self.running = running
        self.client = client
        self.logs = logs
        self.keys = keys
    }

    /// Starts the stack; the sources are polled once (`POST /v1/refresh` equivalent) before returning when `poll`.
    package static func start(
        regions: [String] = ["bj", "gz"], packages: Int = 30, poll: Bool = true, rateLimitPerSecond: Double = 1000,
        rateLimitBurst: Double = 1000, prepare: @Sendable (TestDatabase) async throws -> Void = { _ in },
        configure: (inout GatewayConfiguration) -> Void = { _ in }
    ) async throws -> GatewayHarness {
        let db = try await TestDatabase.make()
        try await prepare(db)
        let sim = try await SimulatorServer.start(regions: regions, ak: ak, sk: sk, packagesPerRegion: packages, seed: 7, timeScale: 0)
        var config = GatewayConfiguration()
        config.listen = "127.0.0.1:0"
        config.databaseURL = db.url
        config.migrationsDir = TestDatabase.migrationsDirectory
        config.pollIntervalSeconds = 3600
        config.rateLimitPerSecond = rateLimitPerSecond
        config.rateLimitBurst = rateLimitBurst
        // Tests run reconciler passes themselves (`app.makePurchaseReconciler().pass(now:)`); the background one stays idle.
        config.purchaseReconcileSeconds = 3600
        config.accounts = [AccountConfiguration(
            name: "prod", accessKeyId: ak, secret: sk, regions: regions,
            endpoints: Dictionary(uniqueKeysWithValues: regions.map { ($0, sim.baseURL(for: $0)) }))]
        configure(&config)
        let logs = MemoryLogSink()
        let logger = Logger(label: "tpgw", level: .debug, sink: logs)
        let app = try Gateway.make(configuration: config, clock: ContinuousClock(), logger: logger)
        var keys: [String: String] = [:]
        for (name, scope) in [("read", "read"), ("write", "write"), ("admin", "admin")] {
            let key = APIKey.generate()
            _ = try await db.store.insertAPIKey(name: name, keyHash: APIKey.hash(key), scopes: [scope])
            keys[name] = key
        }
        let running = try await app.start(migrate: true)
        let harness = GatewayHarness(db: db, sim: sim, app: app, running: running, client: HTTPClient(), logs: logs, keys: keys)
        if poll {
            let response = try await harness.request("POST", "/v1/refresh", key: "write")
            guard response.status == 200 else { throw AppError(.internal, "refresh failed: \(response.text)") }
            try await app.views.rebuild()
        }
        return harness
    }

    /// One request through libcurl; `key` names one of `keys` (or is used verbatim when not a name).
    package func request(
        _ method: String, _ path: String, key: String? = "read", body: String? = nil, headers: [(String, String)] = []
    ) async throws -> Reply {
        var all: [(name: String, value: String)] = headers.map { (name: $0.0, value: $0.1) }
        if let key { all.append((name: "Authorization", value: "Bearer \(keys[key] ?? key)")) }
        if body != nil { all.append((name: "Content-Type", value: "application/json")) }
        let response = try await client.execute(HTTPClientRequest(
            method: method, url: baseURL + path, headers: all, body: Array((body ?? "").utf8), totalTimeout: .seconds(20)))
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// Every log line written so far, as text.
    package var logText: String {
        logs.records.map { record in
            ([record.message] + record.metadata.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }.joined(separator: "\n")
    }

    package func stop() async {
        await running.stop()
        await app.shutdown()
        await client.shutdown()
        await sim.stop()
        await db.drop()
    }

    /// Runs `body` with a started harness, always stopping it.
    package static func with<T>(
        regions: [String] = ["bj", "gz"], packages: Int = 30, poll: Bool = true, rateLimitPerSecond: Double = 1000,
        rateLimitBurst: Double = 1000, prepare: @Sendable (TestDatabase) async throws -> Void = { _ in },
        configure: (inout GatewayConfiguration) -> Void = { _ in }, _ body: (GatewayHarness) async throws -> T
    ) async throws -> T {
        let harness = try await start(regions: regions, packages: packages, poll: poll, rateLimitPerSecond: rateLimitPerSecond,
                                      rateLimitBurst: rateLimitBurst, prepare: prepare, configure: configure)
        do {
            let value = try await body(harness)
            await harness.stop()
            return value
        } catch {
            await harness.stop()
            throw error
        }
    }
}
