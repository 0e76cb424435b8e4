import Foundation
import TPGWBCE
import TPGWCore
import TPGWHTTPClient
import TPGWStore
@testable import bce_sim
@testable import TPGWGateway
import TPGWTestSupport

/// bce-sim in-process on port 0, a BCE client pointed at it, and sources registered in a test schema.
struct PollerHarness {
    static let ak = "AKPOLLER0001"
    static let sk = "SKPOLLER-secret-0001"

    let sim: SimulatorServer
    let http: HTTPClient
    let client: BCEClient
    let reader: BCESourceReader
    let sources: [SourceConfig]

    /// One source per (account, region); every account reads the same simulated region.
    static func start(
        db: TestDatabase, regions: [String] = ["bj"], accounts: [String] = ["prod"], packages: Int = 20, maxKeysCap: Int = 1000,
        interval: Int = 300, seed: UInt64 = 42
    ) async throws -> PollerHarness {
        let sim = try await SimulatorServer.start(
            regions: regions, ak: ak, sk: sk, packagesPerRegion: packages, seed: seed, maxKeysCap: maxKeysCap, timeScale: 0)
        let http = HTTPClient()
        let client = BCEClient(httpClient: http, sleep: { _ in }, random: { 0.5 })
        let creds = BCECredentials(accessKeyID: ak, secretAccessKey: sk)
        let reader = BCESourceReader(client: client, credentials: Dictionary(uniqueKeysWithValues: accounts.map { ($0, creds) }))
        var sources: [SourceConfig] = []
        for account in accounts {
            for region in regions {
                sources.append(SourceConfig(id: SourceID(account: account, region: region), endpoint: sim.baseURL(for: region), pollIntervalSeconds: interval))
            }
        }
        try await db.store.upsertSources(sources)
        return PollerHarness(sim: sim, http: http, client: client, reader: reader, sources: sources)
    }

    func poller(
        _ store: PostgresStore, replica: String = "r1", tick: Duration = .milliseconds(100), maxConcurrentSources: Int = 4,
        now: (@Sendable () -> Date)? = nil, onPolled: @escaping @Sendable (PollWriteResult) async -> Void = { _ in }
    ) -> UsagePoller {
        var configuration = UsagePoller.Configuration(replicaID: replica, maxConcurrentSources: maxConcurrentSources, tick: tick, jitter: 0, leaseSeconds: 1.5)
        // A manual `now` drives the schedule too (claims, leases, what is due), instead of the database clock.
        configuration.databaseClock = now == nil
        return UsagePoller(
            store: store, reader: reader, configuration: configuration, logger: TestDatabase.testLogger("test.poller"),
            now: now ?? { Date() }, onPolled: onPolled)
    }

    func stop() async {
        await http.shutdown()
        await sim.stop()
    }

    /// Runs `body` with a harness, always stopping it.
    static func with<T>(
        db: TestDatabase, regions: [String] = ["bj"], accounts: [String] = ["prod"], packages: Int = 20, maxKeysCap: Int = 1000,
        interval: Int = 300, _ body: (PollerHarness) async throws -> T
    ) async throws -> T {
        let h = try await start(db: db, regions: regions, accounts: accounts, packages: packages, maxKeysCap: maxKeysCap, interval: interval)
        do {
            let v = try await body(h)
            await h.stop()
            return v
        } catch {
            await h.stop()
            throw error
        }
    }
}
