import Foundation
import Synchronization
import Testing
import TPGWCore
import TPGWStore
@testable import TPGWGateway

/// Stored forecast features in the feature store: a start loads valid rows instead of reading history, falls back to
/// history for missing, outdated or corrupt ones, and polls fold and hand out rows to write once an hour per package
/// (the database side is `ForecastFeaturePersistenceIntegrationTests`).
@Suite struct ForecastFeaturePersistenceTests {
    typealias T = ForecastFeatureStoreTests
    typealias Reads = ForecastFeatureStoreTests.Reads

    /// A feature store over `T.store`'s history whose stored rows are `stored` (package id -> bytes).
    static func store(_ reads: Reads, stored: [String: [UInt8]]) -> ForecastFeatureStore {
        let history = T.store(reads)
        return ForecastFeatureStore(
            read: { source, since in
                // The history of T.store, through a throwaway store's read (same rows, same recording).
                try await history.read(source, since)
            },
            loadStored: { _, ids in stored.filter { ids.contains($0.key) } })
    }

    /// Features compared bit for bit (their unknown hours are NaN, which `==` never equals): their stored form.
    static func bits(_ f: ForecastFeatures?) -> [UInt8]? { f.map(ForecastFeatures.Codec.encode) }

    /// Features of `id` as a replica that had been running would hold them: built from history, then folded to `now`.
    static func running(_ packages: [PackageState]) async throws -> ForecastFeatureStore {
        let store = T.store(Reads())
        _ = try await store.refresh(packages: packages, sources: [T.bj], now: T.now)
        return store
    }

    @Test func start_loadsStoredFeatures_insteadOfReadingHistory() async throws {
        let a = T.package("tp-a", used: 700 << 30)
        let b = T.package("tp-b", used: 70 << 30)
        let before = try await Self.running([a, b])
        let stored = try ["tp-a", "tp-b"].reduce(into: [String: [UInt8]]()) { rows, id in
            rows[id] = ForecastFeatures.Codec.encode(try #require(before.features(for: T.package(id, used: 0).key)))
        }
        let reads = Reads()
        let restarted = Self.store(reads, stored: stored)
        let features = try await restarted.refresh(packages: [a, b], sources: [T.bj], now: T.now)
        #expect(reads.withLock { $0.isEmpty }, "nothing read from history")
        #expect(restarted.stats.loaded == 2 && restarted.stats.builtFromHistory == 0)
        #expect(Self.bits(features[a.key]) == Self.bits(before.features(for: a.key)))
        #expect(Self.bits(features[b.key]) == Self.bits(before.features(for: b.key)))
    }

    @Test(arguments: [
        ("missing", nil, "builtFromHistory"),
        ("corrupt", [UInt8]([84, 80, 70, 70, 1, 0, 9, 9]), "corrupt"),
        ("garbage", [UInt8](repeating: 0xff, count: 2000), "corrupt"),
    ] as [(String, [UInt8]?, String)])
    func unusableRows_fallBackToHistory(_ label: String, _ row: [UInt8]?, _ counter: String) async throws {
        let counted: KeyPath<ForecastFeatureStore.Stats, Int> = counter == "corrupt" ? \.corrupt : \.builtFromHistory
        let a = T.package("tp-a", used: 700 << 30)
        let reads = Reads()
        let store = Self.store(reads, stored: row.map { ["tp-a": $0] } ?? [:])
        let features = try await store.refresh(packages: [a], sources: [T.bj], now: T.now)
        #expect(reads.withLock { $0.first?["tp-a"] } == T.now.addingTimeInterval(-28 * 86400), "\(label): the 28 days are read")
        #expect((features[a.key]?.historyHours ?? 0) >= 24 * 27, "\(label)")
        #expect(store.stats[keyPath: counted] == 1, "\(label): \(store.stats)")
        #expect(store.stats.loaded == 0)
    }

    @Test func outdatedRows_anotherModel_orOlderThanTheHistory_areRebuilt() async throws {
        let a = T.package("tp-a", used: 700 << 30)
        let before = try await Self.running([a])
        var other = ForecastFeatures.Codec.encode(try #require(before.features(for: a.key)))
        other[4] = other[4] &+ 1  // another format version
        var stale = ForecastFeatures()
        stale.update(observedUsedBytes: 1, at: T.now.addingTimeInterval(-40 * 86400))
        for (label, row) in [("another version", other), ("40 days old", ForecastFeatures.Codec.encode(stale))] {
            let reads = Reads()
            let store = Self.store(reads, stored: ["tp-a": row])
            _ = try await store.refresh(packages: [a], sources: [T.bj], now: T.now)
            #expect(store.stats.outdated == 1 && store.stats.builtFromHistory == 1, "\(label): \(store.stats)")
            #expect(reads.withLock { $0.count } == 1, "\(label)")
        }
    }

    @Test func storedRowThatLags_catchesUpFromTheRowsSince() async throws {
        let a = T.package("tp-a", used: 700 << 30)
        let before = try await Self.running([a])
        let row = ForecastFeatures.Codec.encode(try #require(before.features(for: a.key)))
        var later = a
        later.observedAt = T.now.addingTimeInterval(5 * 3600)
        let reads = Reads()
        let store = Self.store(reads, stored: ["tp-a": row])
        _ = try await store.refresh(packages: [later], sources: [T.bj], now: later.observedAt)
        #expect(reads.withLock { $0 } == [["tp-a": T.now]], "read from the stored row's last fold")
        #expect(store.stats.loaded == 1 && store.stats.caughtUp == 1)
    }

    @Test func polls_foldKnownPackages_andWriteEachOnceAnHour() async throws {
        let a = T.package("tp-a", used: 700 << 30)
        let store = try await Self.running([a, T.package("tp-gone", used: 1, status: .usedUp)])
        func poll(_ minutes: Double, used: Int64) -> ForecastFeatureStore.FoldedPoll {
            var p = a
            p.observedAt = T.now.addingTimeInterval(minutes * 60)
            p.usedBytes = used
            let unknown = T.package("tp-new", used: 5, at: p.observedAt)
            let folded = store.foldPoll(source: T.bj, packages: [p, unknown])
            store.commit(folded)
            return folded
        }
        // Built from history and never written: the first poll writes it.
        let first = poll(10, used: 701 << 30)
        #expect(first.rows.map(\.packageID) == ["tp-a"], "an unknown package is left to the rebuild")
        #expect(first.rows.first?.observedAt == T.now.addingTimeInterval(600))
        #expect(first.rows[0].data == Self.bits(store.features(for: a.key)))
        #expect(poll(30, used: 702 << 30).rows.isEmpty, "same hour: folded, not written")
        #expect(store.features(for: a.key)?.lastUsedBytes == 702 << 30)
        #expect(poll(70, used: 703 << 30).rows.count == 1, "an hour closed")
        #expect(poll(80, used: 704 << 30).rows.isEmpty)
        #expect(store.stats.written == 2)
        // The rebuild after the poll finds the features folded: the same observation again changes nothing.
        let folded = store.features(for: a.key)
        var p = a
        p.observedAt = T.now.addingTimeInterval(80 * 60)
        p.usedBytes = 704 << 30
        let features = try await store.refresh(packages: [p], sources: [T.bj], now: p.observedAt)
        #expect(Self.bits(features[a.key]) == Self.bits(folded))
    }

    @Test func anOlderPollChangesNothing_andAnUncommittedRowIsWrittenAgain() async throws {
        let a = T.package("tp-a", used: 700 << 30)
        let store = try await Self.running([a])
        var late = a
        late.observedAt = T.now.addingTimeInterval(120)
        late.usedBytes += 1 << 30
        var early = a
        early.observedAt = T.now.addingTimeInterval(60)
        let first = store.foldPoll(source: T.bj, packages: [late])
        #expect(first.rows.count == 1)
        // The write failed (no commit); an older poll arrives late: ignored, and the row is still due.
        let second = store.foldPoll(source: T.bj, packages: [early])
        #expect(store.features(for: a.key)?.lastObservedAt == late.observedAt.timeIntervalSince1970)
        #expect(second.rows.count == 1, "not written yet: written with the next poll")
        store.commit(second)
        #expect(store.foldPoll(source: T.bj, packages: [late]).rows.isEmpty)
    }
}
