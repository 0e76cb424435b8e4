import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
@testable import TPGWStore

@Suite(.enabled(if: TestDatabase.isConfigured)) struct CompactionTests {
    @Test func oldSnapshots_foldIntoHourlyRollups_recentOnesStay() async throws {
        try await TestDatabase.with { db in
            try await db.store.upsertSources([.make()])
            let key = PackageKey("bce:prod:bj:a")!
            // 100 days ago: three changes within one hour, then one in the next hour.
            let old = Date.t0.addingTimeInterval(-100 * 86400)
            try await db.store.poll([.make("a", used: 10)], at: old)
            try await db.store.poll([.make("a", used: 30)], at: old.addingTimeInterval(600))
            try await db.store.poll([.make("a", used: 20)], at: old.addingTimeInterval(1200))
            try await db.store.poll([.make("a", used: 40)], at: old.addingTimeInterval(3600))
            // Recent: yesterday.
            try await db.store.poll([.make("a", used: 50)], at: .t0.addingTimeInterval(-86400))
            try await db.execute("INSERT INTO poll_runs (source_id, started_at, finished_at, outcome) SELECT id, now() - interval '400 days', now() - interval '400 days', 'ok' FROM sources")

            let result = try await db.store.compact(now: .t0)
            #expect(result.snapshotsCompacted == 4)
            #expect(result.rollupsWritten == 2)
            let remaining: Int = try await db.scalar("SELECT count(*) FROM snapshots")
            #expect(remaining == 1)

            let rollups = try await db.pool.query("""
                SELECT h.hour, h.used_bytes_min, h.used_bytes_max, h.used_bytes_last, h.samples FROM snapshot_hourly h ORDER BY h.hour
                """).map { try $0.decode((Date, Int64, Int64, Int64, Int).self) }
            #expect(rollups.count == 2)
            #expect(rollups[0] == (old, 10, 30, 20, 3))
            #expect(rollups[1].3 == 40)
            // What the usage series reads: the rollups' last values, then the raw snapshot.
            let usage = try await db.store.usageObservations(key: key, from: old.addingTimeInterval(-3600), to: .t0)
            #expect(usage.map(\.usedBytes) == [20, 40, 50])

            // Running again changes nothing.
            let again = try await db.store.compact(now: .t0)
            #expect(again.snapshotsCompacted == 0)

            // 400 days later the rollups expire too.
            let later = try await db.store.compact(now: old.addingTimeInterval(401 * 86400))
            #expect(later.rollupsDeleted == 2)
            #expect(result.pollRunsDeleted >= 1)
        }
    }
}
