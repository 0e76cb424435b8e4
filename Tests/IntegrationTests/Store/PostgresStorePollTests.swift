import Foundation
import TPGWTestSupport
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
            let b = try await db.store.package(key: PackageKey("bce:prod:bj:b")!)
            #expect(b?.status == .released)
            #expect(b?.usedBytes == 2)
            let row = try await db.store.packageRow(key: PackageKey("bce:prod:bj:b")!)
            #expect(row?.releasedAt == .t0.addingTimeInterval(60))
            #expect(row?.lastSeenAt == .t0)
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
            #expect(try await db.store.packageRow(key: p.state.key)?.raw.contains("\"usedCapacity\": 1") == true)
            p.raw = #"{"id":"a","note":"new field"}"#
            let r = try await db.store.poll([p], at: .t0.addingTimeInterval(60))
            #expect(r.snapshotsWritten == 0)
            #expect(try await db.store.packageRow(key: p.state.key)?.raw.contains("new field") == true)
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
            #expect(try await db.store.package(key: PackageKey("bce:prod:bj:a")!)?.status == .active)
            let runs = try await db.store.pollRuns(source: .test)
            #expect(runs.map(\.outcome) == [.readFailed, .readFailed, .ok])
            // A success clears the error.
            try await db.store.poll([.make("a", used: 1)], at: .t0.addingTimeInterval(180))
            let healed = try #require(try await db.store.source(.test))
            #expect(healed.lastError == nil)
            #expect(healed.consecutiveFailures == 0)
            #expect(healed.latencyMs == 84)
        }
    }

    @Test func sourcesList_showsEveryRegisteredSource() async throws {
        try await TestDatabase.with { db in
            let gz = SourceID(account: "prod", region: "gz")
            try await db.store.upsertSources([.make(), .make(gz, interval: 60)])
            #expect(try await db.store.sources().map(\.id) == [.test, gz])
            #expect(try await db.store.sources().last?.pollIntervalSeconds == 60)
            try await db.execute("UPDATE sources SET enabled = false WHERE region = 'bj'")
            #expect(try await db.store.sources().map(\.id) == [gz])
            #expect(try await db.store.source(.test)?.enabled == false, "a disabled source stays registered")
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
}
