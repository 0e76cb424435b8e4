import Foundation
import Testing
import TPGWBCE
import TPGWCore
import TPGWStore
import TPGWTestSupport
@testable import bce_sim
@testable import TPGWGateway

/// Three replicas on one database. The schedule (what is due, leases) runs on a manual clock shared by the three
/// pollers, so intervals are exact and the test means the same on an idle machine and under load; it runs in the
/// ordinary `swift test` (it used to need the machine to itself, behind TPGW_TEST_SOLO).
@Suite(.enabled(if: TestDatabase.isConfigured))
struct ReplicaSchedulingTests {
    /// Nine sources, a 60 s interval: every source is polled once per interval, never twice; when a replica dies
    /// holding claims, the others take those sources once its lease (1.5 s) runs out, and the cadence holds.
    @Test func threeReplicas_pollEachSourceOncePerInterval_andTakeOverFromADeadOne() async throws {
        let interval = 60
        try await TestDatabase.with { db in
            try await PollerHarness.with(db: db, regions: ["bj", "gz", "su"], accounts: ["a1", "a2", "a3"], packages: 30, interval: interval) { h in
                let clock = ManualClock()
                let origin = Date()
                let now: @Sendable () -> Date = { clock.date(from: origin) }
                let pools = (0..<3).map { _ in db.makePool(maxConnections: 4) }
                let pollers = pools.enumerated().map { n, pool in
                    h.poller(PostgresStore(pool: pool, logger: db.logger), replica: "r\(n + 1)", maxConcurrentSources: 9, now: now)
                }
                let signals = pollers.map { _ in ShutdownSignal() }
                let tasks = zip(pollers, signals).map { poller, signal in Task { await poller.run(until: signal, clock: clock) } }
                let sources = h.sources.map(\.id)
                func runs() async throws -> [PollRun] { try await db.store.pollRuns(limit: 10_000) }

                // Rounds 0-2: every source due once per interval, each polled by exactly one replica.
                for round in 0..<3 {
                    if round > 0 {
                        try await waitUntil { clock.sleeperCount >= 3 }
                        h.sim.advance(seconds: 600)
                        clock.advance(by: .seconds(interval))
                    }
                    try await waitUntil { try await runs().count >= 9 * (round + 1) }
                }
                // r1 dies in the middle of round 3: it had claimed three sources and never polls them.
                signals[0].trigger()
                await tasks[0].value
                let roundThree = now().addingTimeInterval(Double(interval))
                let held = try await db.store.claimDueSources(owner: "r1", limit: 3, leaseSeconds: 1.5, now: roundThree)
                #expect(held.count == 3)
                try await waitUntil { clock.sleeperCount >= 2 }
                h.sim.advance(seconds: 600)
                clock.advance(by: .seconds(interval))
                try await waitUntil { try await runs().count >= 9 * 3 + 6 }
                #expect(try await runs().count == 9 * 3 + 6, "the dead replica's sources wait for its lease")
                try await waitUntil { clock.sleeperCount >= 2 }
                clock.advance(by: .seconds(2))  // past r1's lease
                try await waitUntil { try await runs().count >= 9 * 4 }
                // Round 4: the cadence is anchored, so the taken-over sources are due with the others.
                try await waitUntil { clock.sleeperCount >= 2 }
                h.sim.advance(seconds: 600)
                clock.advance(by: .seconds(interval - 2))
                try await waitUntil { try await runs().count >= 9 * 5 }
                try await waitUntil { clock.sleeperCount >= 2 }
                for s in signals { s.trigger() }
                for t in tasks { await t.value }
                for pool in pools { await pool.close() }

                let all = try await runs()
                #expect(all.count == 9 * 5, "no source polled twice in an interval")
                #expect(all.allSatisfy { $0.outcome == .ok }, "\(all.filter { $0.outcome != .ok }.map { "\($0.replica ?? "") \($0.errorCode ?? "")" })")
                let heldIDs = Set(held.map(\.config.id))
                for source in sources {
                    let times = all.filter { $0.source == source }.map(\.startedAt).sorted()
                    #expect(times.count == 5, "\(source): \(times.count) polls in 5 intervals")
                    let gaps = zip(times, times.dropFirst()).map { $1.timeIntervalSince($0) }
                    if heldIDs.contains(source) {
                        // Taken over 2 s late, then back on its slot.
                        #expect(Self.close(gaps, [60, 60, 62, 58]), "\(source): \(gaps)")
                    } else {
                        #expect(Self.close(gaps, [60, 60, 60, 60]), "\(source): \(gaps)")
                    }
                }
                // Which live replica claims a due source is a race (the first awake takes up to nine), so no share is
                // asserted: a loaded machine once let one replica poll all 45. What is guaranteed is above and below.
                #expect(!all.contains { $0.replica == "r1" && $0.startedAt >= roundThree }, "a dead replica polls nothing")
                #expect(all.filter { heldIDs.contains($0.source) && $0.startedAt > roundThree }.allSatisfy { $0.replica != "r1" })

                // No duplicate snapshots: consecutive snapshots of a package always differ (usage moved every round).
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

    /// Equal to the millisecond (times go through PostgreSQL's microseconds).
    static func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 0.001 }
    }
}
