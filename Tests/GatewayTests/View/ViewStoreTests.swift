import Foundation
import Synchronization
import Testing
import TPGWCore
import TPGWTestSupport
@testable import TPGWGateway

/// What the view store rebuilds after which change: one source after its poll or purchase or when another replica
/// moved its version, everything at start or when most sources changed.
@Suite struct ViewStoreTests {
    static let now = GatewayViewTests.now
    static let sources = ["bj", "gz", "su", "hkg"].map { SourceID(account: "prod", region: $0) }

    @Test func atStart_everythingIsLoaded_thenNothingIsDue() async throws {
        let h = ViewStoreHarness()
        #expect(h.store.due(versions: h.versions.withLock { $0 }, now: Self.now) == nil)
        try await h.store.rebuild(now: Self.now)
        #expect(h.loads.withLock { $0 } == [nil])
        #expect(h.store.current.packageCount == 4)
        #expect(h.store.due(versions: h.versions.withLock { $0 }, now: Self.now.addingTimeInterval(1)) == [])
    }

    @Test func aLocalPollOrPurchase_rebuildsOnlyItsSource() async throws {
        let h = ViewStoreHarness()
        try await h.store.rebuild(now: Self.now)
        h.store.invalidate(source: Self.sources[1])
        let due = h.store.due(versions: h.versions.withLock { $0 }, now: Self.now.addingTimeInterval(1))
        #expect(due == [Self.sources[1]])
        try await h.store.rebuild(sources: due, now: Self.now.addingTimeInterval(1))
        #expect(h.loads.withLock { $0 }.last! == [Self.sources[1]])
        #expect(h.store.current.segment(Self.sources[1])!.builtAt == Self.now.addingTimeInterval(1))
        #expect(h.store.current.segment(Self.sources[0])!.builtAt == Self.now, "other sources keep their segment")
        #expect(h.store.current.packageCount == 4)
        #expect(h.store.due(versions: h.versions.withLock { $0 }, now: Self.now.addingTimeInterval(2)) == [])
    }

    @Test func anotherReplicasChange_isFoundByItsVersion() async throws {
        let h = ViewStoreHarness()
        try await h.store.rebuild(now: Self.now)
        h.versions.withLock { $0[Self.sources[2]] = "2" }
        #expect(h.store.due(versions: h.versions.withLock { $0 }, now: Self.now.addingTimeInterval(1)) == [Self.sources[2]])
        h.versions.withLock { $0[SourceID(account: "prod", region: "sin")] = "1" }
        #expect(h.store.due(versions: h.versions.withLock { $0 }, now: Self.now.addingTimeInterval(1))
            == [Self.sources[2], SourceID(account: "prod", region: "sin")], "a new source is loaded too")
    }

    @Test func aQueuedRebuild_thatAnotherAlreadyDid_readsNothing() async throws {
        let h = ViewStoreHarness()
        try await h.store.rebuildDue(now: Self.now)
        h.store.invalidate(source: Self.sources[3])
        try await h.store.rebuild(sources: [Self.sources[3]], now: Self.now.addingTimeInterval(1))
        try await h.store.rebuildDue(now: Self.now.addingTimeInterval(2))
        #expect(h.loads.withLock { $0 } == [nil, [Self.sources[3]]])
    }

    @Test func mostSourcesChanged_orForecastsGrewOld_meansOneLoadOfEverything() async throws {
        let h = ViewStoreHarness()
        try await h.store.rebuild(now: Self.now)
        h.versions.withLock { for s in Self.sources.prefix(3) { $0[s] = "2" } }
        #expect(h.store.due(versions: h.versions.withLock { $0 }, now: Self.now.addingTimeInterval(1)) == nil)
        h.versions.withLock { for s in Self.sources { $0[s] = "1" } }
        #expect(h.store.due(versions: h.versions.withLock { $0 }, now: Self.now.addingTimeInterval(601)) == nil, "every segment is past its age")
        h.store.invalidate()
        #expect(h.store.due(versions: h.versions.withLock { $0 }, now: Self.now.addingTimeInterval(1)) == nil)
    }

    /// The refresher is a service on a clock: another replica's change is found at the next probe tick, which a test
    /// brings by advancing a manual clock (no real-time wait); a local invalidation needs no tick.
    @Test func theRefresher_probesOnItsClock_andRebuildsWhatMoved() async throws {
        let h = ViewStoreHarness()
        let clock = ManualClock()
        let shutdown = ShutdownSignal()
        let run = Task { await h.store.run(until: shutdown, clock: clock, probeInterval: .seconds(2)) }
        h.store.invalidate()
        try await waitUntil { h.loads.withLock { $0.count } == 1 }
        try await waitUntil { clock.sleeperCount >= 1 }
        h.versions.withLock { $0[Self.sources[2]] = "2" }
        #expect(h.loads.withLock { $0.count } == 1, "nothing is probed before the tick")
        clock.advance(by: .seconds(2))
        try await waitUntil { h.loads.withLock { $0.count } == 2 }
        #expect(h.loads.withLock { $0 }.last! == [Self.sources[2]])
        h.store.invalidate(source: Self.sources[0])
        try await waitUntil { h.loads.withLock { $0.count } == 3 }
        #expect(h.loads.withLock { $0 }.last! == [Self.sources[0]])
        shutdown.trigger()
        await run.value
    }

    @Test func whileTheDatabaseIsUnavailable_liveThrowsUnavailable_untilAProbeSucceeds() async throws {
        let h = ViewStoreHarness()
        try await h.store.rebuild(now: Self.now)
        #expect(try h.store.live().packageCount == 4)

        h.failure.withLock { $0 = AppError(.unavailable, "The database is unavailable.") }
        await #expect(throws: AppError.self) { try await h.store.rebuildDue(now: Self.now.addingTimeInterval(1)) }
        #expect(throws: AppError.self) { try h.store.live() }
        do {
            _ = try h.store.live()
        } catch {
            #expect(error.code == .unavailable)
        }
        #expect(h.store.current.packageCount == 4, "the last view is kept for the status page and metrics")

        // Another failure (not an outage) does not make the view unavailable.
        h.failure.withLock { $0 = AppError(.internal, "a bug") }
        await #expect(throws: AppError.self) { try await h.store.rebuildDue(now: Self.now.addingTimeInterval(2)) }
        #expect(throws: AppError.self, "still unavailable: no probe succeeded") { try h.store.live() }

        h.failure.withLock { $0 = nil }
        try await h.store.rebuildDue(now: Self.now.addingTimeInterval(3))
        #expect(try h.store.live().packageCount == 4)
    }
}

    /// A store over the fixture input whose loads are recorded.
/// A view store over four sources with one package each, whose loads are recorded and whose stored versions the
/// test moves.
final class ViewStoreHarness: Sendable {
    let loads = Mutex<[Set<SourceID>?]>([])
    let versions = Mutex<[SourceID: String]>(Dictionary(uniqueKeysWithValues: ViewStoreTests.sources.map { ($0, "1") }))
    /// When set, probes throw it (a database outage is `AppError(.unavailable)`).
    let failure = Mutex<AppError?>(nil)
    private let box = Mutex<ViewStore?>(nil)
    var store: ViewStore { box.withLock { $0! } }

    init() {
        let input = GatewayView.Input(
            packages: ViewStoreTests.sources.map { OpsFixtures.package("tp-\($0.region)", region: $0.region, used: 1 << 30) },
            history: [:], sources: ViewStoreTests.sources.map { OpsFixtures.source($0.region) })
        let store = ViewStore(
            load: { [unowned self] only in
                loads.withLock { $0.append(only) }
                return input
            },
            probe: { [unowned self] in
                if let failure = failure.withLock({ $0 }) { throw failure }
                return versions.withLock { $0 }
            }, maxSegmentAge: 600, logger: .disabled)
        box.withLock { $0 = store }
    }
}
