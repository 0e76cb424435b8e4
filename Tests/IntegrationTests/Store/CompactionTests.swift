import Foundation
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

            let hours = try await db.store.hourlyUsage(key: key, from: old.addingTimeInterval(-3600), to: .t0)
            #expect(hours.count == 3)
            #expect(hours[0].hour == old)
            #expect(hours[0].usedBytesMin == 10)
            #expect(hours[0].usedBytesMax == 30)
            #expect(hours[0].usedBytesLast == 20)
            #expect(hours[0].samples == 3)
            #expect(hours[1].usedBytesLast == 40)
            #expect(hours[2].usedBytesLast == 50)  // raw, aggregated on the fly

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
