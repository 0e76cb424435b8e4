import Foundation
import TPGWTestSupport
import Testing
import TPGWBCE
import TPGWCore
import TPGWStore
@testable import bce_sim
@testable import TPGWGateway

/// Replicas running different configurations on one database (a rolling update): each keeps the sources its
/// configuration names polled, polls only those with its own endpoint, and a source no live replica names is
/// dropped within a bounded time. Time is passed in (`heartbeat(now:)`, a manual poller clock), never slept.
@Suite(.enabled(if: TestDatabase.isConfigured)) struct ReplicaConfigTests {
    static let bj = SourceID(account: "prod", region: "bj")
    static let gz = SourceID(account: "prod", region: "gz")
    static let su = SourceID(account: "prod", region: "su")

    /// A poller named `replica` whose configuration is `sources`, on the manual clock `clock`.
    private func replica(_ h: PollerHarness, _ db: TestDatabase, _ replica: String, clock: LockedValue<Date>) -> UsagePoller {
        UsagePoller(
            store: db.store, reader: h.reader,
            configuration: .init(replicaID: replica, maxConcurrentSources: 4, tick: .milliseconds(50), jitter: 0, leaseSeconds: 30),
            logger: TestDatabase.testLogger("test.poller.\(replica)"), now: { clock.value })
    }

    private func config(_ h: PollerHarness, _ ids: [SourceID], endpoint: String? = nil) -> [SourceConfig] {
        ids.map { id in SourceConfig(id: id, endpoint: endpoint ?? h.sim.baseURL(for: id.region), pollIntervalSeconds: 300) }
    }

    private func enabled(_ db: TestDatabase) async throws -> Set<SourceID> {
        Set(try await db.store.sources().map(\.id))
    }

    @Test func twoConfigs_neverStopEachOthersSources_andAnUnnamedSourceIsDroppedWithinTheBound() async throws {
        try await TestDatabase.with { db in
            try await PollerHarness.with(db: db, regions: ["bj", "gz", "su"]) { h in
                let t0 = Date()
                let clock = LockedValue(t0)
                let old = replica(h, db, "old", clock: clock)
                let new = replica(h, db, "new", clock: clock)

                // The old replica names bj and gz: su (registered, named by no one) is dropped.
                try await old.register(config(h, [Self.bj, Self.gz]))
                #expect(try await enabled(db) == [Self.bj, Self.gz])

                // The new replica starts with another config (gz, su): it does not stop bj, which the old one names.
                clock.withLock { $0 = t0.addingTimeInterval(10) }
                try await new.register(config(h, [Self.gz, Self.su]))
                #expect(try await enabled(db) == [Self.bj, Self.gz, Self.su])
                #expect(try await db.store.sourceClaims(Self.gz, since: t0.addingTimeInterval(-1)).map(\.replica) == ["new", "old"])

                // Both keep heartbeating: nothing changes.
                for minute in 1...2 {
                    let at = t0.addingTimeInterval(Double(minute) * 60)
                    #expect(try await old.heartbeat(now: at) == SourceClaimChanges())
                    #expect(try await new.heartbeat(now: at.addingTimeInterval(5)) == SourceClaimChanges())
                }
                #expect(try await enabled(db) == [Self.bj, Self.gz, Self.su])

                // The old replica is gone after its heartbeat at t0+120. bj stays polled while its claim is live
                // (claimLiveFor 180 s, to t0+300), then the new replica's next heartbeat drops it: at most
                // claimLiveFor + heartbeatInterval (4 minutes) after the old replica's last heartbeat, within 10.
                for minute in 3...4 {
                    let changes = try await new.heartbeat(now: t0.addingTimeInterval(Double(minute) * 60 + 5))
                    #expect(changes == SourceClaimChanges())
                    #expect(try await enabled(db).contains(Self.bj), "minute \(minute)")
                }
                let dropped = try await new.heartbeat(now: t0.addingTimeInterval(5 * 60 + 5))
                #expect(dropped == SourceClaimChanges(disabled: [Self.bj]))
                #expect(try await enabled(db) == [Self.gz, Self.su])
                // Its history stays.
                #expect(try await db.store.source(Self.bj)?.enabled == false)
            }
        }
    }

    @Test func aSourceRemovedFromTheOnlyConfigNamingIt_isDroppedAtTheNextHeartbeat_andComesBackWhenNamedAgain() async throws {
        try await TestDatabase.with { db in
            try await PollerHarness.with(db: db, regions: ["bj", "gz"]) { h in
                let t0 = Date()
                let clock = LockedValue(t0)
                let a = replica(h, db, "a", clock: clock)
                let b = replica(h, db, "b", clock: clock)
                try await a.register(config(h, [Self.bj, Self.gz]))
                try await b.register(config(h, [Self.gz]))
                // a restarts without bj in its configuration (same replica id, new config).
                clock.withLock { $0 = t0.addingTimeInterval(30) }
                try await a.register(config(h, [Self.gz]))
                #expect(try await enabled(db) == [Self.gz])
                try await b.register(config(h, [Self.gz, Self.bj]))
                #expect(try await enabled(db) == [Self.bj, Self.gz])
            }
        }
    }

    @Test func eachReplicaPollsOnlyWhatItsConfigNames_withItsOwnEndpoint() async throws {
        try await TestDatabase.with { db in
            try await PollerHarness.with(db: db, regions: ["bj", "gz"]) { h in
                let clock = LockedValue(Date())
                let a = replica(h, db, "a", clock: clock)
                let b = replica(h, db, "b", clock: clock)
                try await a.register(config(h, [Self.bj]))
                clock.withLock { $0 = $0.addingTimeInterval(5) }
                // b names bj and gz, but its bj endpoint is dead; as the latest claim it is the stored endpoint.
                try await b.register(config(h, [Self.gz]) + [SourceConfig(id: Self.bj, endpoint: "http://127.0.0.1:1", pollIntervalSeconds: 300)])
                #expect(try await db.store.source(Self.bj)?.endpoint == "http://127.0.0.1:1")

                // a polls bj with the endpoint from its own configuration, at once.
                guard case .ok = try #require(await a.refresh([Self.bj])[Self.bj]) else {
                    Issue.record("refresh of bj by a failed")
                    return
                }
                // Running, each replica claims only its own sources.
                let task = Task { await a.run(until: ShutdownSignal(), clock: ContinuousClock()) }
                var runs: [PollRun] = []
                for _ in 0..<100 {
                    runs = try await db.store.pollRuns(limit: 100)
                    // The refresh, then bj's scheduled poll (due at once: jitter 0); gz is due too but not a's to claim.
                    if runs.filter({ $0.replica == "a" }).count >= 2 { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                try await Task.sleep(for: .milliseconds(300))
                task.cancel()
                await task.value
                runs = try await db.store.pollRuns(limit: 100)
                let byA = runs.filter { $0.replica == "a" }
                #expect(byA.count >= 2, "\(runs)")
                #expect(byA.allSatisfy { $0.source == Self.bj && $0.outcome == .ok }, "\(byA)")
            }
        }
    }

    @Test func concurrentHeartbeatsOfReplicasWithDifferentConfigs_agree() async throws {
        try await TestDatabase.with { db in
            try await PollerHarness.with(db: db, regions: ["bj", "gz", "su"]) { h in
                let clock = LockedValue(Date())
                let replicas = [
                    (replica(h, db, "x", clock: clock), [Self.bj, Self.gz]), (replica(h, db, "y", clock: clock), [Self.gz, Self.su]),
                    (replica(h, db, "z", clock: clock), [Self.su]),
                ]
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (poller, ids) in replicas {
                        group.addTask {
                            try await poller.register(config(h, ids))
                            for n in 1...10 { try await poller.heartbeat(now: clock.value.addingTimeInterval(Double(n))) }
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try await enabled(db) == [Self.bj, Self.gz, Self.su])
                #expect(try await db.store.sourceClaims(Self.su, since: clock.value).map(\.replica) == ["y", "z"])
            }
        }
    }
}
