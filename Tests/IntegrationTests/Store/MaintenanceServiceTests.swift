import Foundation
import Testing
import TPGWCore
import TPGWTestSupport
@testable import TPGWStore
@testable import TPGWGateway

/// Maintenance is a service: it compacts when `tpgw serve` starts (through the real composition root) and then on
/// its clock's ticks.
@Suite(.enabled(if: TestDatabase.isConfigured)) struct MaintenanceServiceTests {
    /// Three snapshots within one hour, starting `old`.
    static func seed(_ db: TestDatabase, old: Date) async throws {
        try await db.store.upsertSources([.make()])
        try await db.store.poll([.make("a", used: 10)], at: old)
        try await db.store.poll([.make("a", used: 30)], at: old.addingTimeInterval(600))
        try await db.store.poll([.make("a", used: 20)], at: old.addingTimeInterval(1200))
    }

    @Test func serve_compactsOldSnapshotsIntoRollups_atStart() async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 2, poll: false, prepare: { db in
            // On a whole hour, so the three snapshots (20 minutes apart) fold into one rollup.
            let hour = (Date().addingTimeInterval(-100 * 86400).timeIntervalSince1970 / 3600).rounded(.down) * 3600
            try await Self.seed(db, old: Date(timeIntervalSince1970: hour))
        }) { gw in
            var rollups = 0
            for _ in 0..<200 {
                rollups = try await gw.db.scalar("SELECT count(*)::int FROM snapshot_hourly")
                if rollups > 0 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(rollups == 1)
            let raw: Int = try await gw.db.scalar("SELECT count(*)::int FROM snapshots WHERE observed_at < now() - interval '90 days'")
            #expect(raw == 0)
        }
    }

    @Test func maintenance_runsAgainOnEveryTickOfItsClock() async throws {
        try await TestDatabase.with { db in
            let clock = ManualClock()
            let now = LockedValue(Date.t0)
            try await Self.seed(db, old: .t0.addingTimeInterval(-89 * 86400))  // within the 90 days kept at t0
            let job = MaintenanceJob(store: db.store, interval: .seconds(3600), clock: clock, logger: .disabled, now: { now.value })
            let shutdown = ShutdownSignal()
            let running = Task { try await job.run(until: shutdown) }
            await clock.waitForSleepers(1)
            let before: Int = try await db.scalar("SELECT count(*)::int FROM snapshot_hourly")
            #expect(before == 0, "not old enough yet")
            now.withLock { $0 = $0.addingTimeInterval(2 * 86400) }
            clock.advance(by: .seconds(3600))
            await clock.waitForSleepers(1)
            let after: Int = try await db.scalar("SELECT count(*)::int FROM snapshot_hourly")
            #expect(after == 1)
            shutdown.trigger()
            try await running.value
        }
    }
}
