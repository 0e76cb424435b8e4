import Foundation
import Testing
import TPGWBCE
import TPGWCore
import TPGWStore
@testable import bce_sim
@testable import TPGWGateway

/// Timing-based (a 2 s interval, three pollers): run alone by `scripts/test.d/31-poller-replicas.sh`, because with
/// hundreds of other tests in parallel on 2 cores, polls start late by whole seconds and the gaps stop meaning anything.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["TPGW_TEST_SOLO"] == "1"))
struct ReplicaSchedulingTests {
    /// Three replicas on one database, nine sources, a 2 s interval: every source is polled once per
    /// interval, never twice, and when one replica dies the others take its sources within an interval.
    @Test func threeReplicas_pollEachSourceOncePerInterval_andTakeOverFromADeadOne() async throws {
        let interval = 2.0
        try await TestDatabase.with { db in
            try await PollerHarness.with(db: db, regions: ["bj", "gz", "su"], accounts: ["a1", "a2", "a3"], packages: 30, interval: Int(interval)) { h in
                let pools = (0..<3).map { _ in db.makePool(maxConnections: 4) }
                let pollers = pools.enumerated().map { n, pool in
                    h.poller(PostgresStore(pool: pool, logger: db.logger), replica: "r\(n + 1)")
                }
                let start = Date()
                let tasks = pollers.map { poller in Task { await poller.run(until: ShutdownSignal(), clock: ContinuousClock()) } }
                // Usage changes upstream once per interval.
                for step in 0..<5 {
                    try await Task.sleep(for: .seconds(interval))
                    h.sim.advance(seconds: 600)
                    if step == 1 { tasks[0].cancel() }  // replica r1 dies
                }
                for t in tasks { t.cancel() }
                for t in tasks { await t.value }
                let elapsed = Date().timeIntervalSince(start)
                let killedAt = start.addingTimeInterval(2 * interval)
                for pool in pools { await pool.close() }

                let runs = try await db.store.pollRuns(limit: 10_000)
                #expect(runs.allSatisfy { $0.outcome == .ok }, "\(runs.filter { $0.outcome != .ok }.map { "\($0.replica ?? "") \($0.errorCode ?? "") \($0.errorMessage ?? "")" })")
                let expected = elapsed / interval
                for source in h.sources.map(\.id) {
                    let times = runs.filter { $0.source == source }.map(\.startedAt).sorted()
                    #expect(Double(times.count) >= expected - 1.5, "\(source): \(times.count) polls in \(elapsed) s")
                    #expect(Double(times.count) <= expected + 1, "\(source): \(times.count) polls in \(elapsed) s")
                    // A source r1 was polling when it died is taken over when r1's lease (1.5 s, PollerHarness) runs
                    // out, up to an interval plus the lease after its previous poll, and the next poll keeps the
                    // anchored cadence, so it comes sooner. Away from the kill the cadence is strict.
                    let lease = 1.5
                    let settled = killedAt.addingTimeInterval(interval + lease)
                    let pairs = Array(zip(times, times.dropFirst()))
                    let gaps = pairs.map { $1.timeIntervalSince($0) }
                    let strict = pairs.filter { $0.1 <= killedAt || $0.0 >= settled }.map { $1.timeIntervalSince($0) }
                    let replicasOf = runs.filter { $0.source == source }.map { $0.replica ?? "" }
                    #expect(strict.allSatisfy { $0 >= interval * 0.5 }, "\(source) polled twice in one interval: \(gaps)")
                    #expect(strict.allSatisfy { $0 <= interval * 1.75 }, "\(source) skipped an interval: \(gaps) \(replicasOf)")
                    #expect(gaps.allSatisfy { $0 <= interval + lease + 0.5 }, "\(source) went unpolled too long: \(gaps) \(replicasOf)")
                    #expect(gaps.allSatisfy { $0 >= 0.25 }, "\(source) polled twice at once: \(gaps)")
                    #expect(times.contains { $0 > killedAt.addingTimeInterval(interval) }, "\(source) not taken over")
                }
                let replicas = Set(runs.compactMap(\.replica))
                #expect(replicas.count >= 2)
                #expect(!runs.contains { $0.replica == "r1" && $0.startedAt > killedAt.addingTimeInterval(0.5) })

                // No duplicate snapshots: consecutive snapshots of a package always differ (no hour passed).
                let dupes: Int = try await db.scalar("""
                    SELECT count(*) FROM (
                        SELECT used_bytes, status, lag(used_bytes) OVER w AS prev_used, lag(status) OVER w AS prev_status
                        FROM snapshots WINDOW w AS (PARTITION BY package_pk ORDER BY observed_at)) s
                    WHERE used_bytes = prev_used AND status = prev_status
                    """)
                #expect(dupes == 0)
            }
        }
    }

}
