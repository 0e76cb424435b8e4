import Foundation
import Testing
import TPGWCore
@testable import TPGWStore

@Suite(.enabled(if: TestDatabase.isConfigured)) struct PostgresStorePollTests {
    private func snapshotCount(_ db: TestDatabase) async throws -> Int {
        try await db.scalar("SELECT count(*) FROM snapshots")
    }

    @Test func unknownSource_isRefused() async throws {
        try await TestDatabase.with { db in
            let error = await #expect(throws: PostgresError.self) { try await db.store.poll([.make("a")], at: .t0) }
            #expect(error?.code == .notFound)
        }
    }

    @Test func repeatedPolls_writeSnapshotsOnlyOnChange_plusHourlyHeartbeat() async throws {
        try await TestDatabase.with { db in
            try await db.store.upsertSources([.make()])
            let first = try await db.store.poll([.make("a", used: 10), .make("b", used: 20)], at: .t0)
            #expect(first.snapshotsWritten == 2)
            #expect(first.newPackages == 2)
            // Every minute for 59 minutes, nothing changes: no snapshot.
            for minute in 1..<60 {
                let r = try await db.store.poll([.make("a", used: 10), .make("b", used: 20)], at: .t0.addingTimeInterval(Double(minute * 60)))
                #expect(r.snapshotsWritten == 0)
            }
            #expect(try await snapshotCount(db) == 2)
            // b changes at minute 30... (here: minute 60 both are due a heartbeat, b also changed)
            let hour = try await db.store.poll([.make("a", used: 10), .make("b", used: 25)], at: .t0.addingTimeInterval(3600))
            #expect(hour.snapshotsWritten == 2)
            #expect(hour.changedPackages == 1)
            // A change 1 minute later: only b.
            let next = try await db.store.poll([.make("a", used: 10), .make("b", used: 26)], at: .t0.addingTimeInterval(3660))
            #expect(next.snapshotsWritten == 1)
            let series = try await db.store.snapshots(key: PackageKey("bce:prod:bj:b")!, from: .t0, to: .t0.addingTimeInterval(7200))
            #expect(series.map(\.usedBytes) == [20, 25, 26])
            // Unchanged packages were not rewritten: their row still shows the first write...
            let lastSeen: Date = try await db.scalar("SELECT last_seen_at FROM packages WHERE package_id = 'a'")
            #expect(lastSeen == .t0.addingTimeInterval(3600))
            // ...but the API's observedAt is the source's last success.
            let a = try await db.store.package(key: PackageKey("bce:prod:bj:a")!)
            #expect(a?.observedAt == .t0.addingTimeInterval(3660))
            #expect(a?.usedBytes == 10)
        }
    }

    @Test func vanishedPackage_isReleased_keepsHistory_andCanReturn() async throws {
        try await TestDatabase.with { db in
            try await db.store.upsertSources([.make()])
            try await db.store.poll([.make("a", used: 1), .make("b", used: 2)], at: .t0)
            let r = try await db.store.poll([.make("a", used: 1)], at: .t0.addingTimeInterval(60))
            #expect(r.released == [PackageKey("bce:prod:bj:b")!])
            let b = try await db.store.packageDetail(key: PackageKey("bce:prod:bj:b")!)
            #expect(b?.state.status == .released)
            #expect(b?.releasedAt == .t0.addingTimeInterval(60))
            #expect(b?.lastSeenAt == .t0)
            #expect(b?.state.usedBytes == 2)
            let history = try await db.store.snapshots(key: PackageKey("bce:prod:bj:b")!, from: .t0, to: .t0.addingTimeInterval(3600))
            #expect(history.map(\.status) == [.active, .released])
            // Released again next poll: nothing more is written.
            let again = try await db.store.poll([.make("a", used: 1)], at: .t0.addingTimeInterval(120))
            #expect(again.released.isEmpty)
            #expect(again.snapshotsWritten == 0)
            // It comes back.
            let back = try await db.store.poll([.make("a", used: 1), .make("b", used: 3)], at: .t0.addingTimeInterval(180))
            #expect(back.changedPackages == 1)
            let state = try await db.store.package(key: PackageKey("bce:prod:bj:b")!)
            #expect(state?.status == .active)
            #expect(state?.usedBytes == 3)
        }
    }

    @Test func rawJSON_isKept_andUpdatedWhenOnlyRawChanged() async throws {
        try await TestDatabase.with { db in
            try await db.store.upsertSources([.make()])
            var p = ObservedPackage.make("a", used: 1)
            try await db.store.poll([p], at: .t0)
            #expect(try await db.store.packageDetail(key: p.state.key)?.raw.contains("\"usedCapacity\": 1") == true)
            p.raw = #"{"id":"a","note":"new field"}"#
            let r = try await db.store.poll([p], at: .t0.addingTimeInterval(60))
            #expect(r.snapshotsWritten == 0)
            #expect(try await db.store.packageDetail(key: p.state.key)?.raw.contains("new field") == true)
        }
    }

    @Test func failedPoll_changesOnlyHealthAndPollRuns() async throws {
        try await TestDatabase.with { db in
            try await db.store.upsertSources([.make(interval: 60)])
            try await db.store.poll([.make("a", used: 1)], at: .t0)
            try await db.store.recordPollFailure(
                source: .test, startedAt: .t0.addingTimeInterval(60), finishedAt: .t0.addingTimeInterval(61),
                code: "upstreamUnavailable", message: "bj: InternalError after 3 attempts", latency: .milliseconds(900))
            try await db.store.recordPollFailure(
                source: .test, startedAt: .t0.addingTimeInterval(120), finishedAt: .t0.addingTimeInterval(121),
                code: "upstreamUnavailable", message: "bj: timeout")
            let health = try #require(try await db.store.source(.test))
            #expect(health.consecutiveFailures == 2)
            #expect(health.lastError == .init(code: "upstreamUnavailable", message: "bj: timeout", at: .t0.addingTimeInterval(121)))
            #expect(health.lastSuccessAt == .t0)
            #expect(health.lastAttemptAt == .t0.addingTimeInterval(120))
            #expect(health.latencyMs == 900)
            #expect(health.status(now: .t0.addingTimeInterval(130)) == .failing)
            #expect(health.status(now: .t0.addingTimeInterval(181)) == .stale)
            #expect(try await db.store.package(key: PackageKey("bce:prod:bj:a")!)?.status == .active)
            let runs = try await db.store.pollRuns(source: .test)
            #expect(runs.map(\.outcome) == [.readFailed, .readFailed, .ok])
            // A success clears the error.
            try await db.store.poll([.make("a", used: 1)], at: .t0.addingTimeInterval(180))
            let healed = try #require(try await db.store.source(.test))
            #expect(healed.lastError == nil)
            #expect(healed.consecutiveFailures == 0)
            #expect(healed.latencyMs == 84)
            #expect(healed.status(now: .t0.addingTimeInterval(200)) == .ok)
        }
    }

    @Test func sourcesList_showsEveryRegisteredSource_andDisableOthers() async throws {
        try await TestDatabase.with { db in
            let gz = SourceID(account: "prod", region: "gz")
            try await db.store.upsertSources([.make(), .make(gz, interval: 60)])
            #expect(try await db.store.sources().map(\.id) == [.test, gz])
            #expect(try await db.store.sources().last?.pollIntervalSeconds == 60)
            try await db.store.upsertSources([.make(gz)], disableOthers: true)
            #expect(try await db.store.sources().map(\.id) == [gz])
            #expect(try await db.store.sources(includeDisabled: true).count == 2)
        }
    }

    @Test func claimDueSources_handsEachSourceOutOncePerInterval() async throws {
        try await TestDatabase.with { db in
            try await db.store.upsertSources([.make(interval: 3600), .make(SourceID(account: "prod", region: "gz"), interval: 3600)])
            let first = try await db.store.claimDueSources(owner: "r1", limit: 10)
            #expect(first.count == 2)
            #expect(try await db.store.claimDueSources(owner: "r2", limit: 10).isEmpty)
            #expect(try await db.store.sources().allSatisfy { $0.leaseOwner == "r1" })
        }
    }

    @Test func packages_filterSortAndKeysetPaging() async throws {
        try await TestDatabase.with { db in
            let gz = SourceID(account: "prod", region: "gz")
            try await db.store.upsertSources([.make(), .make(gz)])
            var bj: [ObservedPackage] = []
            for i in 0..<25 {
                bj.append(.make(String(format: "tp-%02d", i), used: Int64(i) << 28, policy: i % 2 == 0 ? .fullTime : .offPeak,
                                expiresAt: Date.t0.addingTimeInterval(Double((i * 7) % 25) * 86400)))
            }
            try await db.store.poll(bj, at: .t0)
            try await db.store.poll([.make("tp-gz", used: 1 << 30, source: gz)], at: .t0, source: gz)

            // Key order, pages of 10.
            var seen: [String] = []
            var cursor: PackageCursor?
            repeat {
                let page = try await db.store.packages(sort: .key, after: cursor, limit: 10)
                seen += page.items.map(\.key.description)
                cursor = page.nextCursor.flatMap { PackageCursor(token: $0.token) }
            } while cursor != nil
            #expect(seen.count == 26)
            #expect(seen == seen.sorted())

            // expiresAt descending across pages equals one big sorted query.
            let all = try await db.store.packages(sort: PackageSort(.expiresAt, descending: true), limit: nil).items
            var paged: [PackageState] = []
            cursor = nil
            repeat {
                let page = try await db.store.packages(sort: PackageSort(.expiresAt, descending: true), after: cursor, limit: 7)
                paged += page.items
                cursor = page.nextCursor
            } while cursor != nil
            #expect(paged.map(\.key) == all.map(\.key))
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.expiresAt >= $1.expiresAt })

            // usedRatio ascending with ties resolved by row id, paged.
            var ratios: [Double] = []
            cursor = nil
            repeat {
                let page = try await db.store.packages(sort: PackageSort(.usedRatio), after: cursor, limit: 4)
                ratios += page.items.map(\.usedRatio)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(ratios.count == 26)
            #expect(ratios == ratios.sorted())

            // Filters.
            let gzOnly = try await db.store.allPackages(filter: PackageFilter(regions: ["gz"]))
            #expect(gzOnly.map(\.key.id) == ["tp-gz"])
            let offPeakHalfUsed = try await db.store.allPackages(filter: PackageFilter(regions: ["bj"], policies: [.offPeak], minUsedRatio: 0.5))
            #expect(offPeakHalfUsed.allSatisfy { $0.policy == .offPeak && $0.usedRatio >= 0.5 })
            // used = i/40 of capacity: odd i with i >= 20 -> 21, 23.
            #expect(offPeakHalfUsed.map(\.key.id) == ["tp-21", "tp-23"])
            let soon = try await db.store.allPackages(filter: PackageFilter(expiresBefore: Date.t0.addingTimeInterval(3 * 86400)))
            #expect(soon.allSatisfy { $0.expiresAt < Date.t0.addingTimeInterval(3 * 86400) })
            // A cursor of another sort is refused.
            let page = try await db.store.packages(sort: .key, limit: 5)
            await #expect(throws: PostgresError.self) { _ = try await db.store.packages(sort: PackageSort(.usedRatio), after: page.nextCursor, limit: 5) }
        }
    }

    @Test func recentSnapshots_returnWindowWithBaseline_forAllPackagesOfSource() async throws {
        try await TestDatabase.with { db in
            try await db.store.upsertSources([.make()])
            for hour in 0..<30 {
                try await db.store.poll([.make("a", used: Int64(hour) * 100), .make("b", used: 5)], at: .t0.addingTimeInterval(Double(hour) * 3600))
            }
            let since = Date.t0.addingTimeInterval(6 * 3600)
            let recent = try await db.store.recentSnapshots(source: .test, since: since)
            let a = try #require(recent[PackageKey("bce:prod:bj:a")!])
            #expect(a.count == 25)  // baseline at hour 5 + hours 6...29
            #expect(a.first?.observedAt == .t0.addingTimeInterval(5 * 3600))
            // b only has hourly heartbeats; it still has a baseline.
            #expect(recent[PackageKey("bce:prod:bj:b")!]?.first?.usedBytes == 5)
            let byKeys = try await db.store.recentSnapshots(keys: [PackageKey("bce:prod:bj:a")!], since: since)
            #expect(byKeys[PackageKey("bce:prod:bj:a")!] == a)
        }
    }
}
