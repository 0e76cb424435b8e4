import Foundation
import Synchronization
import Testing
import TPGWCore
@testable import TPGWGateway

/// What the feature store reads and keeps, with its read recorded (the database side is `ForecastWiringTests`).
@Suite struct ForecastFeatureStoreTests {
    static let now = Date(timeIntervalSince1970: 1_795_766_400)  // 2026-11-27T08:00:00Z
    static let bj = SourceID(account: "prod", region: "bj")
    static let gz = SourceID(account: "prod", region: "gz")

    static func package(_ id: String, _ source: SourceID = bj, used: Int64, at: Date = now, boughtDaysAgo: Double = 60,
                        status: PackageStatus = .active) -> PackageState {
        PackageState(
            key: PackageKey(provider: source.provider, account: source.account, region: source.region, id: id), policy: .fullTime,
            status: status, capacityBytes: 1 << 40, usedBytes: used, createdAt: now.addingTimeInterval(-boughtDaysAgo * 86400),
            activatedAt: nil, expiresAt: now.addingTimeInterval(30 * 86400), observedAt: at)
    }

    /// The reads a store made, in order.
    final class Reads: Sendable {
        let list = Mutex<[[String: Date]]>([])
        func withLock<T>(_ body: (inout [[String: Date]]) -> T) -> T { list.withLock { body(&$0) } }
    }

    /// A store whose reads return hourly rows at 1 GiB an hour from `since` to one hour before now, and are recorded.
    static func store(_ reads: Reads) -> ForecastFeatureStore {
        ForecastFeatureStore(read: { _, since in
            reads.withLock { $0.append(since) }
            var out: [String: [(at: Date, usedBytes: Int64)]] = [:]
            for (id, from) in since {
                var t = from.addingTimeInterval(1)
                var rows: [(at: Date, usedBytes: Int64)] = []
                while t < now.addingTimeInterval(-3600) {
                    rows.append((at: t, usedBytes: Int64(t.timeIntervalSince(from) / 3600) << 30))
                    t = t.addingTimeInterval(3600)
                }
                out[id] = rows
            }
            return out
        })
    }

    @Test func newPackage_readsAtMost28Days_thenFoldsPollsWithoutReading() async throws {
        let reads = Reads()
        let store = Self.store(reads)
        let old = Self.package("tp-old", used: 700 << 30)
        let young = Self.package("tp-young", used: 10 << 30, boughtDaysAgo: 2)
        let features = try await store.refresh(packages: [old, young], sources: [Self.bj], now: Self.now)
        let first = reads.withLock { $0 }
        #expect(first.count == 1)
        #expect(first[0]["tp-old"] == Self.now.addingTimeInterval(-28 * 86400), "at most 28 days back")
        #expect(first[0]["tp-young"] == young.createdAt.addingTimeInterval(-1), "a younger package from its purchase")
        #expect((features[old.key]?.historyHours ?? 0) >= 24 * 27)
        #expect(features[old.key]?.lastObservedAt == Self.now.timeIntervalSince1970)

        // The next poll, a minute later: folded from the package's state, nothing read.
        var polled = old
        polled.observedAt = Self.now.addingTimeInterval(60)
        polled.usedBytes += 1 << 30
        _ = try await store.refresh(packages: [polled, young], sources: [Self.bj], now: polled.observedAt)
        #expect(reads.withLock { $0.count } == 1)

        // Three hours later (this replica was away): the rows since the last fold are read.
        polled.observedAt = Self.now.addingTimeInterval(3 * 3600)
        _ = try await store.refresh(packages: [polled, young], sources: [Self.bj], now: polled.observedAt)
        let last = reads.withLock { $0.last }
        #expect(last == ["tp-old": Self.now.addingTimeInterval(60)], "only the lagging package: \(String(describing: last))")
    }

    /// A switch a test flips to make reads fail.
    final class Failing: Sendable {
        let on = Mutex(false)
    }

    @Test func aFailedRead_putsBackWhatItTookOut_andTheNextRefreshCatchesUp() async throws {
        let reads = Reads()
        let history = Self.store(reads)
        let failing = Failing()
        let store = ForecastFeatureStore(read: { source, since in
            if failing.on.withLock({ $0 }) { throw CancellationError() }
            return try await history.read(source, since)
        })
        let a = Self.package("tp-a", used: 700 << 30)
        let b = Self.package("tp-b", used: 70 << 30)
        _ = try await store.refresh(packages: [a, b], sources: [Self.bj], now: Self.now)
        let before = try #require(store.features(for: a.key))
        // Three hours later: tp-a lags (read, so taken out while read); tp-b was polled just before (folded in place).
        var lagging = a
        lagging.observedAt = Self.now.addingTimeInterval(3 * 3600)
        lagging.usedBytes += 3 << 30
        var polled = b
        polled.observedAt = lagging.observedAt
        _ = store.foldPoll(source: Self.bj, packages: [polled])
        failing.on.withLock { $0 = true }
        await #expect(throws: CancellationError.self) {
            try await store.refresh(packages: [lagging, polled], sources: [Self.bj], now: lagging.observedAt)
        }
        #expect(store.count == 2, "what the read took out is back")
        #expect(store.features(for: a.key).map(ForecastFeatures.Codec.encode) == ForecastFeatures.Codec.encode(before))
        failing.on.withLock { $0 = false }
        let features = try await store.refresh(packages: [lagging, polled], sources: [Self.bj], now: lagging.observedAt)
        #expect(features.count == 2)
        #expect(features[a.key]?.lastObservedAt == lagging.observedAt.timeIntervalSince1970)
        #expect(features[b.key]?.lastObservedAt == polled.observedAt.timeIntervalSince1970)
        #expect(reads.withLock { $0.last } == ["tp-a": Self.now], "only the lagging package, from its last fold")
    }

    @Test func inactiveAndGonePackages_areDropped_otherSourcesKept() async throws {
        let reads = Reads()
        let store = Self.store(reads)
        let a = Self.package("tp-a", used: 1 << 30)
        let b = Self.package("tp-b", used: 1 << 30)
        let c = Self.package("tp-c", Self.gz, used: 1 << 30)
        _ = try await store.refresh(packages: [a, b, c], sources: Set<SourceID>?.none, now: Self.now)
        #expect(store.count == 3)
        var usedUp = a
        usedUp.status = .usedUp
        let features = try await store.refresh(packages: [usedUp], sources: [Self.bj], now: Self.now)
        #expect(features.isEmpty, "a used-up package has no features; tp-b is gone")
        #expect(store.count == 1, "gz's package is kept")
    }
}
