import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
import TPGWStore
@testable import bce_sim
@testable import TPGWGateway

/// The poller's database goes away in the middle of a run and comes back, as in a PostgreSQL restart: every open
/// connection is cut mid-stream and new ones are refused for a while. The outage is an `OutageProxy` in front of the
/// shared test cluster, so it is this suite's own and runs with all the others (no cluster restart, no flag).
@Suite struct PollerDatabaseOutageTests {
    @Test func databaseOutageMidRun_nextPollSucceeds_andNothingWrittenIsLost() async throws {
        try await TestDatabase.with { db in
            let target = try #require(OutageProxy.rewrite(db.url, to: 0))
            let proxy = try OutageProxy(host: target.host, port: target.port)
            let pool = ConnectionPool(
                .init(database: PostgresConfiguration(url: try #require(OutageProxy.rewrite(db.url, to: proxy.port)).url),
                      maxConnections: 4, acquireTimeout: .seconds(2)),
                logger: db.logger)
            let store = PostgresStore(pool: pool, logger: db.logger)
            do {
                try await outageMidRun(db: db, store: store, proxy: proxy)
            } catch {
                await pool.close()
                throw error
            }
            await pool.close()
        }
    }

    private func outageMidRun(db: TestDatabase, store: PostgresStore, proxy: OutageProxy) async throws {
        try await PollerHarness.with(db: db, regions: ["bj", "gz"], packages: 40, interval: 1) { h in
            let poller = h.poller(store, tick: .milliseconds(100))
            let run = Task { await poller.run(until: ShutdownSignal(), clock: ContinuousClock()) }
            // Let a few polls land, with usage changing between them.
            for _ in 0..<3 {
                try await Task.sleep(for: .seconds(1))
                h.sim.advance(seconds: 900)
            }
            let snapshotsBefore = try await db.pool.query("SELECT package_pk, observed_at, used_bytes FROM snapshots ORDER BY 1, 2")
            let before = try snapshotsBefore.map { try $0.decode((Int64, Date, Int64).self) }
            #expect(before.count >= 80)

            // The outage: polls due meanwhile fail to write (connections cut, new ones refused).
            proxy.cut()
            h.sim.advance(seconds: 900)
            try await Task.sleep(for: .seconds(1.5))
            try proxy.restore()
            let restoredAt = Date()
            h.sim.advance(seconds: 900)
            try await Task.sleep(for: .seconds(3))
            run.cancel()
            await run.value

            // Polls after the outage succeeded for every source.
            let runs = try await db.store.pollRuns(limit: 1000)
            for source in h.sources.map(\.id) {
                #expect(runs.contains { $0.source == source && $0.outcome == .ok && $0.startedAt > restoredAt }, "\(source)")
            }
            // Everything written before is still there, and more was added.
            let after = try await db.pool.query("SELECT package_pk, observed_at, used_bytes FROM snapshots ORDER BY 1, 2")
            let afterRows = try after.map { try $0.decode((Int64, Date, Int64).self) }
            let afterSet = Set(afterRows.map { "\($0.0)|\($0.1.timeIntervalSince1970)|\($0.2)" })
            #expect(before.allSatisfy { afterSet.contains("\($0.0)|\($0.1.timeIntervalSince1970)|\($0.2)") })
            #expect(afterRows.count > before.count)
            let health = try await db.store.sources()
            #expect(health.allSatisfy { $0.consecutiveFailures == 0 })
        }
    }
}
