import Foundation
import Testing
import TPGWCore
@testable import TPGWGateway

/// The segmented view answers exactly as one flat list of every package would: summaries, pages, cursors, and a
/// view with one source replaced equals a view built from scratch.
@Suite struct GatewayViewTests {
    static let now = Date(timeIntervalSince1970: 1_795_766_400)

    /// A deterministic mix over 6 sources: every status and policy, shared expiry days and remaining amounts (ties),
    /// burn histories for two thirds of the packages, one configured source with no packages.
    static func input(seed: UInt64 = 7, perSource: Int = 40, changedSource: SourceID? = nil) -> GatewayView.Input {
        var rng = seed
        func next(_ n: Int) -> Int {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Int((rng >> 33) % UInt64(n))
        }
        var packages: [PackageState] = []
        var history: [PackageKey: [Snapshot]] = [:]
        var sources: [SourceStatus] = []
        for account in ["prod", "staging"] {
            for region in ["bj", "gz", "su"] {
                let source = SourceID(account: account, region: region)
                sources.append(OpsFixtures.source(region, account: account))
                for i in 0..<perSource {
                    // Every package takes the same draws, so a changed source leaves the others as they were.
                    let capacity = Int64([10, 50, 100][next(3)]) << 30
                    var used = Int64(next(5)) * capacity / 4
                    let status = [PackageStatus.active, .active, .active, .usedUp, .expired, .released][next(6)]
                    let p = PackageState(
                        key: PackageKey(provider: "bce", account: account, region: region, id: "tp-\(i)"),
                        policy: next(3) == 0 ? .offPeak : .fullTime, status: status, capacityBytes: capacity, usedBytes: used,
                        createdAt: now.addingTimeInterval(-Double(30 + next(5)) * 86_400), activatedAt: nil,
                        expiresAt: now.addingTimeInterval(Double(1 + next(10)) * 86_400), observedAt: now)
                    let burning = next(3) != 0, rate = Int64(next(4))
                    if source == changedSource {
                        // Half its packages went, the rest are half used.
                        if i >= perSource / 2 { continue }
                        used = capacity / 2
                    }
                    var q = p
                    q.usedBytes = used
                    packages.append(q)
                    if burning { history[q.key] = OpsFixtures.history(q, gibPerHour: rate) }
                }
            }
        }
        sources.append(OpsFixtures.source("hkg", state: .pending, lastSuccess: nil))
        var random = FixedRandom(seed: seed)
        return .init(packages: packages.shuffled(using: &random), history: history, sources: sources)
    }

    @Test func summary_fromSegmentTotals_matchesTotallingEveryPackage() {
        let view = GatewayView.build(Self.input(), now: Self.now)
        let (packages, forecasts) = view.flattened()
        for groupBy in SummaryGroupBy.allCases {
            let merged = SummaryAggregator.summarize(cells: view.segments.map(\.cells), pools: view.pools, groupBy: groupBy)
            let flat = SummaryAggregator.summarize(packages: packages, alignedForecasts: forecasts, pools: view.pools, groupBy: groupBy)
            #expect(merged.groups.map(\.key) == flat.groups.map(\.key), "\(groupBy)")
            for (m, f) in zip(merged.groups + [merged.total], flat.groups + [flat.total]) {
                #expect(abs(m.burnBytesPerHour - f.burnBytesPerHour) <= 1e-6 * max(1, f.burnBytesPerHour), "\(groupBy) \(m.key)")
                var m = m
                m.burnBytesPerHour = f.burnBytesPerHour
                #expect(m == f, "\(groupBy) \(m.key)")
            }
        }
        #expect(view.pools.map(\.source.region).contains("hkg"), "a configured source without packages still has its (empty) pool")
    }

    @Test(arguments: PackageQuery.SortField.allCases)
    func pages_walkEveryPackageOnce_inOneGlobalOrder(field: PackageQuery.SortField) throws {
        let view = GatewayView.build(Self.input(), now: Self.now)
        let (packages, forecasts) = view.flattened()
        let queries: [PackageQuery] = [
            PackageQuery(sort: field, limit: 7),
            PackageQuery(sort: field, descending: true, limit: 7),
            PackageQuery(account: "prod", status: .active, sort: field, limit: 5),
            PackageQuery(region: "gz", policy: .offPeak, sort: field, descending: true, limit: 3),
        ]
        for query in queries {
            let value: (Int) -> Double = { i in
                switch field {
                case .expiresAt: packages[i].expiresAt.timeIntervalSince1970
                case .exhaustsAt: forecasts[i].exhaustsAt?.timeIntervalSince1970 ?? .infinity
                case .usedRatio: packages[i].usedRatio
                case .remainingBytes: Double(packages[i].remainingBytes)
                }
            }
            let expected = packages.indices.filter { i in
                let p = packages[i]
                return (query.account == nil || p.key.account == query.account) && (query.region == nil || p.key.region == query.region)
                    && (query.status == nil || p.status == query.status) && (query.policy == nil || p.policy == query.policy)
            }.sorted { a, b in
                let (va, vb) = (value(a), value(b))
                if va != vb { return query.descending ? va > vb : va < vb }
                return query.descending ? packages[b].key < packages[a].key : packages[a].key < packages[b].key
            }.map { packages[$0].key }

            var walked: [PackageKey] = []
            var q = query
            for _ in 0..<1000 {
                let (items, next) = view.page(q)
                walked += items.map(\.state.key)
                guard let next else { break }
                let cursor: PageCursor = try #require(PageCursor.decode(next, queryFingerprint: q.fingerprint))
                q.cursor = cursor
            }
            #expect(walked == expected, "\(query.fingerprint)")
        }
    }

    @Test func replacingOneSource_answersExactlyAsAViewBuiltFromScratch() {
        let changed = SourceID(account: "staging", region: "gz")
        let before = GatewayView.build(Self.input(), now: Self.now)
        let after = Self.input(changedSource: changed)
        let incremental = before.replacing(GatewayView.segments(after, only: [changed], now: Self.now), sources: after.sources, now: Self.now)
        let scratch = GatewayView.build(after, now: Self.now)

        #expect(incremental.packageCount == scratch.packageCount)
        for groupBy in SummaryGroupBy.allCases {
            #expect(String(decoding: incremental.summary(groupBy).body, as: UTF8.self)
                == String(decoding: scratch.summary(groupBy).body, as: UTF8.self), "\(groupBy)")
        }
        for field in PackageQuery.SortField.allCases {
            for descending in [false, true] {
                let q = PackageQuery(sort: field, descending: descending)
                #expect(incremental.firstPage(q)!.etag == scratch.firstPage(q)!.etag, "\(q.fingerprint)")
            }
        }
        #expect(incremental.summary(.region).etag != before.summary(.region).etag, "the change shows in the summary")
        #expect(incremental.segment(SourceID(account: "prod", region: "bj"))!.builtAt == before.segment(SourceID(account: "prod", region: "bj"))!.builtAt)
    }

    @Test func filteredOrCursorQueries_areNotServedFromTheFirstPageCache() {
        let view = GatewayView.build(Self.input(), now: Self.now)
        #expect(view.firstPage(PackageQuery()) != nil)
        #expect(view.firstPage(PackageQuery(sort: .usedRatio, descending: true)) != nil)
        #expect(view.firstPage(PackageQuery(region: "bj")) == nil)
        #expect(view.firstPage(PackageQuery(limit: 10)) == nil)
    }
}

/// A seeded generator, so shuffles are the same on every run.
struct FixedRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state ^ (state >> 29)
    }
}
