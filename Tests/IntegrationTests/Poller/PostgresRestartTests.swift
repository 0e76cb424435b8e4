import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
import TPGWStore
@testable import bce_sim
@testable import TPGWGateway

/// Restarts the throwaway cluster, so it runs alone: `scripts/test.d/30-store-pg-restart.sh` runs it in
/// its own `swift test` with `TPGW_TEST_PG_RESTART=1` (a restart in the middle of the main run would
/// break other suites' connections).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["TPGW_TEST_PG_RESTART"] == "1"))
struct PostgresRestartTests {
    /// Runs `$TPGW_TEST_PG_CTL -o "$TPGW_TEST_PG_OPTS" restart` on a thread of its own (never block
    /// a cooperative thread), returning its exit status.
    private func restartCluster() async throws -> Int32 {
        let env = ProcessInfo.processInfo.environment
        let ctl = try #require(env["TPGW_TEST_PG_CTL"], "TPGW_TEST_PG_CTL is not set")
        let opts = env["TPGW_TEST_PG_OPTS"] ?? ""
        let command = "\(ctl) -o \"\(opts)\" -m fast restart >/dev/null 2>&1 </dev/null"
        return await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: system(command)) }
            thread.start()
        }
    }

    @Test func postgresRestartMidRun_nextPollSucceeds_andNothingWrittenIsLost() async throws {
        try await TestDatabase.with { db in
            try await PollerHarness.with(db: db, regions: ["bj", "gz"], packages: 40, interval: 1) { h in
                let poller = h.poller(db.store, tick: .milliseconds(100))
                let run = Task { await poller.run(until: ShutdownSignal(), clock: ContinuousClock()) }
                // Let a few polls land, with usage changing between them.
                for _ in 0..<3 {
                    try await Task.sleep(for: .seconds(1))
                    h.sim.advance(seconds: 900)
                }
                let snapshotsBefore = try await db.pool.query("SELECT package_pk, observed_at, used_bytes FROM snapshots ORDER BY 1, 2")
                let before = try snapshotsBefore.map { try $0.decode((Int64, Date, Int64).self) }
                #expect(before.count >= 80)

                #expect(try await restartCluster() == 0)
                let restartedAt = Date()
                h.sim.advance(seconds: 900)
                try await Task.sleep(for: .seconds(3))
                run.cancel()
                await run.value

                // Polls after the restart succeeded for every source.
                let runs = try await db.store.pollRuns(limit: 1000)
                for source in h.sources.map(\.id) {
                    #expect(runs.contains { $0.source == source && $0.outcome == .ok && $0.startedAt > restartedAt }, "\(source)")
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
}
