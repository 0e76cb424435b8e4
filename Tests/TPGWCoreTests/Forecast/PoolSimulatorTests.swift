import Foundation
import Testing
@testable import TPGWCore

/// Hand-worked draw-order examples. `now` is 08:00 UTC = 16:00 Beijing: the window opens 8 h later.
@Suite struct PoolSimulatorTests {
    let now = d("2026-11-22T08:00:00Z")
    let source = SourceID(account: "prod", region: "bj")
    let g = Double(GiB)

    func simulate(_ packages: [PackageState], _ demand: PoolDemand, horizon: TimeInterval = PoolSimulator.defaultHorizon) -> PoolForecast {
        PoolSimulator.simulate(source: source, packages: packages, demand: demand, now: now, horizon: horizon)
    }

    func exhaustion(_ f: PoolForecast, _ id: String) -> Date? {
        f.packages.first { $0.key.id == id }?.exhaustsAt
    }

    @Test func fullTimeOnly_drawsInTurnAndEmptiesWhenTheLastRunsOut() {
        let f = simulate([
            .make(id: "a", capacity: 10 * GiB, expiresAt: now + 30 * day),
            .make(id: "b", capacity: 20 * GiB, expiresAt: now + 60 * day),
        ], .flat(g))
        #expect(exhaustion(f, "a") == now + 10 * hour)
        #expect(exhaustion(f, "b") == now + 30 * hour)
        #expect(f.nextExhaustion == PackageTime(key: f.packages[0].key, at: now + 10 * hour))
        #expect(f.emptyAt == now + 30 * hour)
        #expect(f.remainingBytes == 30 * GiB)
        #expect(f.activePackages == 2)
    }

    @Test(arguments: [
        (DrawOrder.earliestDeadlineFirst, ["new-soon", "tie-older", "tie-newer", "old-late"]),
        (DrawOrder.earliestPurchaseFirst, ["old-late", "tie-older", "tie-newer", "new-soon"]),
        (DrawOrder.latestPurchaseFirst, ["new-soon", "tie-newer", "tie-older", "old-late"]),
    ])
    func drawOrder_isTheConfiguredOne_andThePoolSaysWhichItAssumed(order: DrawOrder, expected: [String]) {
        let rules = PoolRules(offPeak: .bce, drawOrder: order)
        let f = PoolSimulator.simulate(source: source, packages: [
            .make(id: "old-late", capacity: 10 * GiB, createdAt: now - 20 * day, expiresAt: now + 60 * day),
            .make(id: "new-soon", capacity: 10 * GiB, createdAt: now - 1 * day, expiresAt: now + 30 * day),
            .make(id: "tie-newer", capacity: 10 * GiB, createdAt: now - 2 * day, expiresAt: now + 40 * day),
            .make(id: "tie-older", capacity: 10 * GiB, createdAt: now - 3 * day, expiresAt: now + 40 * day),
        ], demand: .flat(g), now: now, rules: rules)
        #expect(f.packages.map(\.key.id) == expected)
        #expect(f.rules.drawOrder == order)
        #expect(exhaustion(f, expected[0]) == now + 10 * hour)
    }

    @Test func purchaseOrder_aPackageBehindTheHeadExpiresUnused() {
        // Oldest first: "old" (expires late) is drawn while "young" (expires in 5 h) waits and expires unused.
        let f = PoolSimulator.simulate(source: source, packages: [
            .make(id: "old", capacity: 100 * GiB, createdAt: now - 20 * day, expiresAt: now + 60 * day),
            .make(id: "young", capacity: 10 * GiB, createdAt: now - 1 * day, expiresAt: now + 5 * hour),
        ], demand: .flat(g), now: now, rules: PoolRules(offPeak: .bce, drawOrder: .earliestPurchaseFirst))
        let young = f.packages.first { $0.key.id == "young" }
        #expect(young?.exhaustsAt == nil && young?.unusedAtExpiryBytes == 10 * GiB)
        #expect(exhaustion(f, "old") == now + 100 * hour)
    }

    @Test func offPeakWindow_isTheConfiguredOne() {
        // A window 08:00-16:00 UTC (opening now): the off-peak package is drawn at once.
        let window = OffPeakWindow(startMinute: 8 * 60, endMinute: 16 * 60, utcOffsetMinutes: 0)
        let f = PoolSimulator.simulate(source: source, packages: [
            .make(id: "off", policy: .offPeak, capacity: 4 * GiB, expiresAt: now + 30 * day),
        ], demand: .flat(g), now: now, rules: PoolRules(offPeak: window, drawOrder: .earliestDeadlineFirst))
        #expect(exhaustion(f, "off") == now + 4 * hour)
        let bce = simulate([.make(id: "off", policy: .offPeak, capacity: 4 * GiB, expiresAt: now + 30 * day)], .flat(g))
        #expect(exhaustion(bce, "off") == now + 12 * hour)
    }

    @Test func earliestExpiryIsDrawnFirst_thenEarliestPurchase() {
        let f = simulate([
            .make(id: "old-late", capacity: 10 * GiB, createdAt: now - 20 * day, expiresAt: now + 60 * day),
            .make(id: "new-soon", capacity: 10 * GiB, createdAt: now - 1 * day, expiresAt: now + 30 * day),
            .make(id: "tie-newer", capacity: 10 * GiB, createdAt: now - 2 * day, expiresAt: now + 40 * day),
            .make(id: "tie-older", capacity: 10 * GiB, createdAt: now - 3 * day, expiresAt: now + 40 * day),
        ], .flat(g))
        #expect(f.packages.map(\.key.id) == ["new-soon", "tie-older", "tie-newer", "old-late"])
        #expect(exhaustion(f, "new-soon") == now + 10 * hour)
        #expect(exhaustion(f, "tie-older") == now + 20 * hour)
        #expect(exhaustion(f, "tie-newer") == now + 30 * hour)
    }

    /// Day 1 GiB/h, window 2 GiB/h; off-peak O 10 GiB, full-time F 100 GiB.
    /// 08-16 F pays 8 (92 left). 16:00 window: O pays 2/h, empty at 21:00; F pays 21-24 (6, 86 left).
    /// Then F pays 32 per day: 54 at 11-24 00:00, 22 at 11-25 00:00, 6 at 16:00, empty at 19:00.
    @Test func quantiles_theRulesEarlyOnesAreSimulatedToo() throws {
        // 25 GiB at 1 GiB an hour, spread 0.1: P1 and P5 are the simulations under demand x exp(z x 0.1); P0.5 and
        // P2.5 are interpolated on them, which for one full-time package is exact too.
        let f = PoolSimulator.simulateQuantiles(
            source: source, packages: [.make(id: "F", capacity: 25 * GiB, expiresAt: now + 60 * day)],
            demand: .flat(g), sigma: 0.1, now: now)
        let tail = try #require(f.tail)
        let ordered = [tail.p005, tail.p01, tail.p025, tail.p05, f.emptyAtP10, f.emptyAt, f.emptyAtP90].compactMap { $0 }
        #expect(ordered.count == 7 && ordered == ordered.sorted())
        for (q, at) in zip(RunwayTail.quantiles, [tail.p005, tail.p01, tail.p025, tail.p05]) {
            let hours = try #require(at).timeIntervalSince(now) / 3600
            #expect(abs(hours - 25 / exp(-NormalQuantile.z(q) * 0.1)) < 0.02, "q \(q): \(hours) h")
            #expect(f.emptyAt(quantile: q, now: now) == at)
        }
        // Without a spread every quantile is the median.
        let flat = PoolSimulator.simulateQuantiles(
            source: source, packages: [.make(id: "F", capacity: 25 * GiB, expiresAt: now + 60 * day)],
            demand: .flat(g), sigma: 0, now: now)
        #expect(flat.tail?.p01 == flat.emptyAt && flat.emptyAtP10 == flat.emptyAt)
    }

    @Test func offPeakIsDrawnFirstInsideTheWindow() {
        let f = simulate([
            .make(id: "F", capacity: 100 * GiB, expiresAt: now + 60 * day),
            .make(id: "O", policy: .offPeak, capacity: 10 * GiB, expiresAt: now + 90 * day),
        ], PoolDemand(dayBytesPerHour: g, windowBytesPerHour: 2 * g))
        #expect(exhaustion(f, "O") == d("2026-11-22T21:00:00Z"))
        #expect(exhaustion(f, "F") == d("2026-11-25T19:00:00Z"))
        #expect(f.nextExhaustion?.key.id == "O")
        #expect(f.emptyAt == d("2026-11-25T19:00:00Z"))
        #expect(f.packages.map(\.key.id) == ["O", "F"])
    }

    /// Full-time F (4 GiB) runs out at 12:00 UTC: day traffic is billed pay-as-you-go from then on, while the
    /// off-peak O keeps serving nights (8 GiB each): 12 windows and 4 h of the 13th.
    @Test func payAsYouGoStartsWhenDayTrafficHasNoFullTimePackage() {
        let f = simulate([
            .make(id: "F", capacity: 4 * GiB, expiresAt: now + 60 * day),
            .make(id: "O", policy: .offPeak, capacity: 100 * GiB, expiresAt: now + 60 * day),
        ], .flat(g))
        #expect(f.emptyAt == d("2026-11-22T12:00:00Z"))
        #expect(f.nextExhaustion == PackageTime(key: f.packages.first { $0.key.id == "F" }!.key, at: d("2026-11-22T12:00:00Z")))
        #expect(exhaustion(f, "O") == d("2026-12-04T20:00:00Z"))
    }

    @Test func packageExpiringFirst_leavesItsRestUnused_andTheNextTakesOver() {
        let f = simulate([
            .make(id: "soon", capacity: 10 * GiB, expiresAt: now + 5 * hour),
            .make(id: "later", capacity: 100 * GiB, expiresAt: now + 30 * day),
        ], .flat(g))
        let soon = f.packages.first { $0.key.id == "soon" }
        #expect(soon?.exhaustsAt == nil)
        #expect(soon?.unusedAtExpiryBytes == 5 * GiB)
        #expect(exhaustion(f, "later") == now + 105 * hour)
        #expect(f.nextExhaustion?.key.id == "later")
    }

    @Test func zeroDemand_poolEmptiesWhenTheLastPackageExpires() {
        let f = simulate([
            .make(id: "a", capacity: 10 * GiB, expiresAt: now + 3 * day),
            .make(id: "b", policy: .offPeak, capacity: 10 * GiB, expiresAt: now + 9 * day),
        ], .flat(0))
        #expect(f.emptyAt == now + 9 * day)
        #expect(f.nextExhaustion == nil)
        #expect(f.packages.map(\.unusedAtExpiryBytes) == [10 * GiB, 10 * GiB])
    }

    @Test func noActivePackage_isEmptyNow() {
        let f = simulate([
            .make(id: "gone", status: .usedUp, used: 100 * GiB),
            .make(id: "old", expiresAt: now - hour),
        ], .flat(g))
        #expect(f.emptyAt == now)
        #expect(f.activePackages == 0)
        #expect(f.packages.isEmpty)
    }

    @Test func beyondTheHorizon_isNil() {
        let f = simulate([.make(id: "a", capacity: 100 * GiB, expiresAt: now + 300 * day)], .flat(g), horizon: 50 * hour)
        #expect(f.emptyAt == nil)
        #expect(f.nextExhaustion == nil)
        #expect(f.packages.first?.unusedAtExpiryBytes == 50 * GiB)
    }

    @Test func demand_offPeakBurnIsWindowTraffic_fullTimeBurnIsDayTraffic() {
        let off = PackageState.make(id: "o", policy: .offPeak)
        let full = PackageState.make(id: "f")
        let forecasts = [
            off.key: PackageForecast(burnBytesPerHour: g, exhaustsAt: nil, exhaustsBeforeExpiry: false, unusedAtExpiryBytes: 0),
            full.key: PackageForecast(burnBytesPerHour: 2 * g, exhaustsAt: nil, exhaustsBeforeExpiry: false, unusedAtExpiryBytes: 0),
        ]
        let mixed = PoolDemand.estimate(packages: [off, full], forecasts: forecasts)
        #expect(mixed == PoolDemand(dayBytesPerHour: 3 * g, windowBytesPerHour: 3 * g))
        #expect(mixed.averageBytesPerHour(window: .bce) == 3 * g)
        #expect(PoolDemand.estimate(packages: [full], forecasts: forecasts) == .flat(2 * g))
    }

    /// The daily average weighs day and window rates by the configured window's length, not Baidu's 8 hours.
    @Test(arguments: [(8.0, 8.0 / 24), (6.0, 6.0 / 24), (12.0, 0.5), (23.0, 23.0 / 24)])
    func demand_dailyAverage_usesTheWindowsLength(hours: Double, share: Double) {
        let window = OffPeakWindow(startSecondOfDay: 15 * 3600, length: hours * 3600)
        let demand = PoolDemand(dayBytesPerHour: 2 * g, windowBytesPerHour: 6 * g)
        let expected = 2 * g * (1 - share) + 6 * g * share
        #expect(abs(demand.averageBytesPerHour(window: window) - expected) < 1e-6 * g)
    }

    /// 100,000 packages over 30 pools, the load after every poll of a large deployment.
    @Test func largeDeployment_simulatesQuickly() {
        var elapsed = Duration.zero
        let clock = ContinuousClock()
        for pool in 0..<30 {
            var packages: [PackageState] = []
            for i in 0..<3334 {
                let policy: PackagePolicy = i % 3 == 0 ? .offPeak : .fullTime
                let capacity = Int64(1 + i % 50) * GiB
                let used = Int64(i % 7) * (GiB / 8)
                let created = now - Double(i % 300) * hour
                let expires = now + Double(1 + (i * 7919) % 365) * day
                packages.append(.make(
                    id: "tp-\(pool)-\(i)", policy: policy, capacity: capacity, used: used, createdAt: created, expiresAt: expires))
            }
            elapsed += clock.measure {
                let f = simulate(packages, PoolDemand(dayBytesPerHour: 40 * g, windowBytesPerHour: 90 * g))
                #expect(f.packages.count == packages.count)
            }
        }
        #expect(elapsed < .seconds(5), "took \(elapsed)")
        print("PoolSimulator: 100,020 packages in 30 pools took \(elapsed)")
    }
}
