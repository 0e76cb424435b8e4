import Foundation
import Testing
@testable import TPGWCore

@Suite struct SaturatingTests {
    @Test(arguments: [
        (Int64.max, Int64(1), Int64.max), (Int64.max, Int64.max, Int64.max), (Int64.min, Int64(-1), Int64.min), (Int64(2), Int64(3), Int64(5)),
        (Int64.max, Int64.min, Int64(-1)),
    ])
    func adding_clampsInsteadOfTrapping(_ a: Int64, _ b: Int64, _ expected: Int64) {
        #expect(a.saturatingAdding(b) == expected)
        var x = a
        x.saturatingAdd(b)
        #expect(x == expected)
    }

    @Test(arguments: [
        (Int64.max, Int64(-1), Int64.max), (Int64.min, Int64(1), Int64.min), (Int64(0), Int64.min, Int64.max), (Int64(5), Int64(7), Int64(-2)),
    ])
    func subtracting_clampsInsteadOfTrapping(_ a: Int64, _ b: Int64, _ expected: Int64) {
        #expect(a.saturatingSubtracting(b) == expected)
    }

    @Test(arguments: [
        (Double.nan, Int64(0)), (Double.infinity, Int64.max), (-Double.infinity, Int64.min), (Double(Int64.max), Int64.max),
        (9.3e18, Int64.max), (-9.3e18, Int64.min), (1.9, Int64(1)), (-1.9, Int64(-1)), (1e15, Int64(1_000_000_000_000_000)),
    ])
    func doubleToInteger_neverTraps(_ value: Double, _ expected: Int64) {
        #expect(Int64(saturating: value) == expected)
        #expect(Int(saturating: value) == Int(expected))
    }
}

/// Packages whose capacities are near `Int64.max` (as a stored row may hold) total without trapping: byte sums
/// saturate at `Int64.max`.
@Suite struct ExtremeUpstreamNumbersTests {
    let now = d("2026-11-22T08:00:00Z")

    /// The view's forecast of `p` from stored snapshots (folded into features, then its latest state).
    func forecast(_ p: PackageState, _ snapshots: [Snapshot]) -> PackageForecast {
        var f = ForecastFeatures(observations: snapshots.map { (at: $0.observedAt, usedBytes: $0.usedBytes) })
        f.update(observedUsedBytes: p.usedBytes, at: p.observedAt)
        return ProbabilisticForecaster.forecast(package: p, features: f, now: now)
    }


    var huge: [PackageState] {
        (0..<4).map { (i: Int) -> PackageState in
            let region = i % 2 == 0 ? "bj" : "gz"
            let policy: PackagePolicy = i == 3 ? .offPeak : .fullTime
            let used: Int64 = i == 2 ? -5 : Int64(i)
            let expires: Date = now + 30 * day
            return PackageState.make(id: "h\(i)", region: region, policy: policy, capacity: Int64.max - Int64(i), used: used, expiresAt: expires)
        }
    }

    @Test func remainingBytes_ofNegativeUsedNearMax_saturates() {
        #expect(huge[2].remainingBytes == Int64.max)
        #expect(PackageState.make(capacity: Int64.min, used: Int64.max).remainingBytes == 0)
    }

    @Test(arguments: SummaryGroupBy.allCases)
    func summaries_overCapacitiesNearInt64Max_saturate(_ groupBy: SummaryGroupBy) {
        let forecasts = huge.map { forecast($0, [.make(now - day, used: 0)]) }
        let byPackages = SummaryAggregator.summarize(packages: huge, alignedForecasts: forecasts, pools: [], groupBy: groupBy)
        #expect(byPackages.total.capacityBytes == Int64.max)
        #expect(byPackages.total.remainingBytes == Int64.max)
        let cells = [SourceID(account: "prod", region: "bj"), SourceID(account: "prod", region: "gz")].map { source in
            let mine = huge.indices.filter { huge[$0].key.source == source }
            return SummaryCells(source: source, packages: mine.map { huge[$0] }, alignedForecasts: mine.map { forecasts[$0] })
        }
        let byCells = SummaryAggregator.summarize(cells: cells, pools: [], groupBy: groupBy)
        #expect(byCells.total.capacityBytes == Int64.max)
        #expect(byCells.total.packageCount == 4)
    }

    @Test func poolSimulation_andDemand_overCapacitiesNearInt64Max_doNotTrap() {
        let forecasts = huge.map { forecast($0, [.make(now - day, used: Int64.min)]) }
        let demand = PoolDemand.estimate(packages: huge, alignedForecasts: forecasts)
        let pool = PoolSimulator.simulate(source: SourceID(account: "prod", region: "bj"), packages: huge, demand: demand, now: now)
        #expect(pool.remainingBytes == Int64.max)
        #expect(pool.packages.allSatisfy { $0.unusedAtExpiryBytes >= 0 })
        let tiny = PoolSimulator.simulate(source: SourceID(account: "prod", region: "bj"), packages: huge, demand: .flat(1e-300), now: now)
        #expect(tiny.packages.count == 4)
    }

    @Test func forecaster_withExtremeSnapshots_doesNotTrap() {
        let p = PackageState.make(capacity: Int64.max, used: Int64.max - 1, expiresAt: now + 365 * day)
        let snapshots: [Snapshot] = [.make(now - 20 * hour, used: Int64.min), .make(now - 10 * hour, used: Int64.max), .make(now - 5 * hour, used: 0)]
        let f = forecast(p, snapshots)
        #expect(f.burnBytesPerHour.isFinite)
        let slow = ForecastProjection.project(package: .make(capacity: Int64.max, used: 0, expiresAt: now + 365 * day), burnBytesPerHour: 1e-300)
        #expect(slow.exhaustsAt == nil && slow.unusedAtExpiryBytes == Int64.max)
    }

    @Test func unknownStatusOrPolicy_isCountedButNeverForecast_norSimulated() {
        let unknownPolicy = PackageState.make(id: "u1", policy: .unknown, capacity: 10 * GiB, used: GiB, expiresAt: now + 10 * day)
        let unknownStatus = PackageState.make(id: "u2", status: .unknown, capacity: 10 * GiB, used: GiB, expiresAt: now + 10 * day)
        let snapshots: [Snapshot] = [.make(now - 10 * hour, used: 0)]
        for p in [unknownPolicy, unknownStatus] {
            #expect(forecast(p, snapshots) == .none)
        }
        let pool = PoolSimulator.simulate(
            source: SourceID(account: "prod", region: "bj"), packages: [unknownPolicy, unknownStatus], demand: .flat(GiB_d), now: now)
        #expect(pool.activePackages == 0 && pool.packages.isEmpty)
        let demand = PoolDemand.estimate(packages: [unknownPolicy], alignedForecasts: [.init(burnBytesPerHour: 5, exhaustsAt: nil, exhaustsBeforeExpiry: false, unusedAtExpiryBytes: 0)])
        #expect(demand == .flat(0))
        let summary = SummaryAggregator.summarize(
            packages: [unknownPolicy, unknownStatus], alignedForecasts: [.none, .none], pools: [], groupBy: .status)
        #expect(summary.total.packageCount == 2)
        #expect(summary.total.statusCounts.unknown == 1 && summary.total.statusCounts.active == 1)
        #expect(summary.groups.map(\.key) == ["active", "unknown"])
    }

    @Test func inventoryMetrics_withExtremeValues_render() {
        let m = InventoryMetrics(packages: huge.map {
            .init(key: $0.key, policy: $0.policy, status: $0.status, capacityBytes: $0.capacityBytes, usedBytes: Int64.min,
                  expiresAt: Date(timeIntervalSince1970: 1e300), exhaustsAt: Date(timeIntervalSince1970: .infinity))
        })
        var writer = PrometheusTextWriter()
        m.write(into: &writer)
        #expect(m.packages.allSatisfy { $0.remainingBytes == Int64.max })
    }

    @Test func rfc3339_formatsAbsurdDates_withoutTrapping() {
        for t in [1e300, -1e300, Double.infinity, Double.nan] {
            _ = RFC3339.format(Date(timeIntervalSince1970: t))
        }
    }
}

private let GiB_d = Double(GiB)
