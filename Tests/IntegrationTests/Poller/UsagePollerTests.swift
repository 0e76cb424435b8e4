import Foundation
import Testing
import TPGWTestSupport
import TPGWBCE
import TPGWCore
import TPGWStore
@testable import bce_sim
@testable import TPGWGateway

@Suite(.enabled(if: TestDatabase.isConfigured)) struct UsagePollerTests {
    @Test func refresh_readsEveryPage_writesAllPackages_andCallsOnPolled() async throws {
        try await TestDatabase.with { db in
            try await PollerHarness.with(db: db, regions: ["bj", "gz"], packages: 45, maxKeysCap: 20) { h in
                let polled = LockedValue<[SourceID]>([])
                let poller = h.poller(db.store, onPolled: { result in polled.withLock { $0.append(result.source) } })
                let outcomes = await poller.refresh(nil)
                #expect(outcomes.count == 2)
                #expect(outcomes.values.allSatisfy { if case .ok = $0 { true } else { false } })
                let polledSources = polled.value.sorted()
                let expectedSources = h.sources.map { $0.id }.sorted()
                #expect(polledSources == expectedSources)
                for region in ["bj", "gz"] {
                    let stored = try await db.store.packages(regions: [region])
                    #expect(stored.count == h.sim.packageCount(region: region))
                    #expect(stored.count == 45)
                }
                let sources = try await db.store.sources()
                #expect(sources.allSatisfy { $0.lastSuccessAt != nil && $0.consecutiveFailures == 0 && $0.latencyMs != nil })
                // Raw upstream JSON is kept.
                let one = try #require(try await db.store.packages().first)
                #expect(try await db.store.packageRow(key: one.key)?.raw.contains("\"id\"") == true)
            }
        }
    }

    @Test func refresh_ofUnknownSource_saysSo() async throws {
        try await TestDatabase.with { db in
            try await PollerHarness.with(db: db) { h in
                let outcomes = await h.poller(db.store).refresh([SourceID(account: "nobody", region: "bj")])
                #expect(outcomes == [SourceID(account: "nobody", region: "bj"): .unknownSource])
            }
        }
    }

    @Test func failureOnPage2_writesNothing_butRecordsHealthAndPollRun() async throws {
        try await TestDatabase.with { db in
            try await PollerHarness.with(db: db, packages: 50, maxKeysCap: 20) { h in
                let poller = h.poller(db.store)
                #expect(await poller.refresh(nil).values.allSatisfy { if case .ok = $0 { true } else { false } })
                let before: Int = try await db.scalar("SELECT count(*) FROM snapshots")
                let usedBefore: Int64 = try await db.scalar("SELECT sum(used_bytes)::int8 FROM packages")

                // Usage moves upstream, but page 2 of the listing fails every time.
                h.sim.advance(seconds: 6 * 3600)
                var fault = SimFault.error(status: 500, code: "InternalError")
                fault.failPage = 2
                h.sim.setFault(region: "bj", fault)
                let outcome = await poller.refresh(nil)[.init(account: "prod", region: "bj")]
                guard case .readFailed(let code, let message) = outcome else {
                    Issue.record("expected readFailed, got \(String(describing: outcome))")
                    return
                }
                #expect(code == "InternalError")
                #expect(!message.contains(PollerHarness.sk))

                let scalar1: Int = try await db.scalar("SELECT count(*) FROM snapshots")
                #expect(scalar1 == before)
                let scalar2: Int64 = try await db.scalar("SELECT sum(used_bytes)::int8 FROM packages")
                #expect(scalar2 == usedBefore)
                let health = try #require(try await db.store.source(SourceID(account: "prod", region: "bj")))
                #expect(health.consecutiveFailures == 1)
                #expect(health.lastError?.code == "InternalError")
                let runs = try await db.store.pollRuns()
                #expect(runs.map(\.outcome) == [.readFailed, .ok])

                // Once the fault clears, the next poll writes the changes.
                h.sim.clearFaults()
                let healed = await poller.refresh(nil)[.init(account: "prod", region: "bj")]
                guard case .ok(let result) = healed else {
                    Issue.record("expected ok, got \(String(describing: healed))")
                    return
                }
                #expect(result.packagesSeen == 50)
                let usedAfter: Int64 = try await db.scalar("SELECT sum(used_bytes)::int8 FROM packages")
                #expect(usedAfter > usedBefore)
            }
        }
    }

    @Test func failureOnPage2_ofFirstPoll_leavesNoPackages() async throws {
        try await TestDatabase.with { db in
            try await PollerHarness.with(db: db, packages: 50, maxKeysCap: 20) { h in
                var fault = SimFault.error(status: 503, code: "ServiceUnavailable")
                fault.failPage = 2
                h.sim.setFault(region: "bj", fault)
                let outcome = await h.poller(db.store).refresh(nil).values.first
                guard case .readFailed? = outcome else { Issue.record("a failed page must fail the read: \(String(describing: outcome))"); return }
                let scalar3: Int = try await db.scalar("SELECT count(*) FROM packages")
                #expect(scalar3 == 0)
                let scalar4: Int = try await db.scalar("SELECT count(*) FROM snapshots")
                #expect(scalar4 == 0)
            }
        }
    }

    /// A replica that claimed sources and crashed (no poll, no release) blocks them only until its lease runs out.
    @Test func crashedReplicasClaim_isTakenOverWhenLeaseRunsOut() async throws {
        try await TestDatabase.with { db in
            try await PollerHarness.with(db: db, regions: ["bj", "gz"], interval: 3600) { h in
                // The schedule runs on a manual clock: no wall-clock wait, whatever the load.
                let clock = ManualClock()
                let crashedAt = Date()
                let claimed = try await db.store.claimDueSources(owner: "crashed", limit: 10, leaseSeconds: 1, now: crashedAt)
                #expect(claimed.count == 2)
                let shutdown = ShutdownSignal()
                let poller = h.poller(db.store, replica: "survivor", now: { clock.date(from: crashedAt) })
                let run = Task { await poller.run(until: shutdown, clock: clock) }
                await clock.waitForSleepers(1)
                #expect(try await db.store.pollRuns().isEmpty, "nothing is taken while the lease holds")
                clock.advance(by: .seconds(2))  // past the crashed replica's 1 s lease
                try await waitUntil { try await db.store.pollRuns().count >= 2 }
                shutdown.trigger()
                await run.value
                let runs = try await db.store.pollRuns()
                #expect(Set(runs.map(\.source)) == Set(h.sources.map(\.id)))
                #expect(runs.allSatisfy { $0.replica == "survivor" && $0.startedAt.timeIntervalSince(crashedAt) >= 0.9 })
                // The slot an hour ahead is kept: nothing is polled twice.
                #expect(runs.count == 2)
            }
        }
    }
}
