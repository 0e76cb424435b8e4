import Foundation
import Testing
@testable import TPGWCore

/// Bursty traffic (1-2 hour bursts at several times the level, a few percent of the hours): the bursts are part of
/// the package's traffic, not new levels, and sums of hours spread wider than independent hours would.
@Suite struct BurstyTrafficTests {
    let start = d("2026-11-02T00:00:00Z")  // a Monday, 08:00 Beijing

    /// Hourly bytes around `level` with +-15 % log-normal noise; with `bursts`, a burst of 1-2 hours at 3-5x starts in
    /// 5 % of the hours (the backtest's bursty family). Seeded.
    static func traffic(hours: Int, level: Double, bursts: Bool, seed: UInt64) -> [Double] {
        var rng = SeededRandom(seed: seed)
        var left = 0
        var factor = 1.0
        return (0..<hours).map { _ in
            let u1 = max(rng.unit(), 1e-12)
            let noise = exp((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * rng.unit()) * 0.15)
            if bursts, left == 0, rng.unit() < 0.05 {
                left = 1 + Int(rng.unit() * 2)
                factor = 3 + rng.unit() * 2
            }
            defer { if left > 0 { left -= 1 } }
            return level * (left > 0 ? factor : 1) * noise
        }
    }

    func features(_ deltas: [Double]) -> ForecastFeatures { .fed(deltas, from: start) }

    @Test(arguments: [2, 4])
    func firstWeeksOfBursts_areNotSteps(_ index: Int) {
        // The hour noise waits for an hour of the week seen once, so in the first 8 days the change-point test rested
        // on a default or on a handful of hours, and these two packages of the backtest's bursty family restarted
        // their level at a burst (Forecast accuracy run 8). Until the noise rests on a day of hours, the test also
        // takes the noise of the hours it tests.
        let s = SyntheticWorkload.series(.bursty, count: index + 1, seed: 20261202)[index]
        var f = ForecastFeatures()
        for i in 0..<(24 * 14) { f.update(observedUsedBytes: s.usedBytes[i], at: s.start + Double(i) * hour) }
        #expect(f.changePointHour == nil)
    }

    @Test(arguments: [(bursts: false, heavy: false), (bursts: true, heavy: true)])
    func tailVariance_isTheBursts_notTheHourNoise(_ c: (bursts: Bool, heavy: Bool)) {
        let f = features(Self.traffic(hours: 24 * 28, level: 1e9, bursts: c.bursts, seed: 7))
        if c.heavy {
            #expect(f.tailShare > 0.15, "tail share \(f.tailShare)")
        } else {
            #expect(f.tailVariance < 0.002, "tail variance \(f.tailVariance)")
        }
    }

    /// Three weeks of traffic, then two hours at 4x: on traffic that bursts now and then that is one more burst; on
    /// traffic that never did it is where the level changed (a step is still found within two hours).
    @Test(arguments: [(bursts: true, changePoint: false), (bursts: false, changePoint: true)])
    func twoHoursAtFourTimes_isAChangePoint_onlyOnTrafficThatNeverBurst(_ c: (bursts: Bool, changePoint: Bool)) {
        let before = Self.traffic(hours: 24 * 21, level: 1e9, bursts: c.bursts, seed: 11)
        let f = features(before + [4e9, 4e9])
        #expect((f.changePointHour != nil) == c.changePoint, "change point \(String(describing: f.changePointHour))")
    }

    /// Once the hour noise is learned (only on hours of the week seen before: from the second week on), no burst is
    /// taken for a new level. Before that the test runs on a default noise (0.5) and a cluster of bursts can restart
    /// the level, as before.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func fourWeeksOfBursts_haveNoChangePoint_onceTheNoiseIsLearned(_ seed: UInt64) {
        let f = features(Self.traffic(hours: 24 * 28, level: 1e9, bursts: true, seed: seed))
        let learned = BeijingHour.index(start.timeIntervalSince1970) + 9 * 24
        #expect(f.changePointHour.map { $0 < learned } ?? true, "change point \(String(describing: f.changePointHour))")
    }

    /// The heavy tail counts (1 + burstCorrelation) times in the hour noise of the demand curve: a burst of 1-2 hours
    /// adds L^2, not L, to a sum of hours.
    @Test(arguments: [false, true])
    func demandCurveNoise_countsTheTailOfCorrelatedBursts(_ bursts: Bool) throws {
        let f = features(Self.traffic(hours: 24 * 28, level: 1e9, bursts: bursts, seed: 3))
        let now = start + Double(24 * 28) * hour
        let curve = try #require(ProbabilisticForecaster.curve(features: f, policy: .fullTime, start: now, now: now))
        let expected = f.noiseSigma * f.noiseSigma + ProbabilisticForecaster.burstCorrelation * f.tailVariance
        #expect(abs(curve.sigmaNoise2 - expected) < 1e-12)
        #expect((curve.sigmaNoise2 > 1.2 * f.noiseSigma * f.noiseSigma) == bursts)
    }
}

/// The day-of-week factor is shrunk toward flat by the noise of the hours that carry the day: when 8 hours carry it
/// (an off-peak package) it is three times noisier than a flat day's 24, and a weekday pattern made of noise is not
/// forecast again; a real quiet weekend is kept (with the weekday noise: one factor shrinks all days).
@Suite struct DayOfWeekShrinkTests {
    let start = d("2026-11-02T00:00:00Z")  // a Monday, 08:00 Beijing

    @Test(arguments: [(weekend: 1.0, flat: true), (weekend: 0.25, flat: false)])
    func offPeakWeek_dayFactorsFollowOnlyARealWeekend(_ c: (weekend: Double, flat: Bool)) {
        let noisy = BurstyTrafficTests.traffic(hours: 24 * 28, level: 1e9, bursts: false, seed: 5)
        var f = ForecastFeatures()
        var used: Int64 = 0
        f.update(observedUsedBytes: 0, at: start)
        for (i, v) in noisy.enumerated() {
            let h = BeijingHour.index((start + Double(i) * hour).timeIntervalSince1970)
            let how = BeijingHour.hourOfWeek(h)
            let inWindow = BeijingHour.isOffPeak(h)
            used += inWindow ? Int64(v * (how >= 120 ? c.weekend : 1)) : 0
            f.update(observedUsedBytes: used, at: start + Double(i + 1) * hour)
        }
        let t = f.shapeTable()
        // 02:00 Beijing (inside the window) on each day of the week.
        let days = (0..<7).map { t[$0 * 24 + 2] }
        let weekdays = days[0..<5]
        // Without a weekly pattern the noise explains the whole day-to-day spread: flat (taking 24 cells' noise for a
        // day carried by 8 hours, this seed's factors spread 1.4 %).
        if c.flat {
            #expect(days.max()! / days.min()! < 1.005, "day factors \(days)")
        } else {
            #expect(days[5] / weekdays.min()! < 0.4, "day factors \(days)")
        }
    }

    @Test func offPeakWindow_hoursInsideItAreShrunkTowardTheirOwnMean_andTheWindowIsKept() {
        // Forecast accuracy run 5: the shrink toward flat keeps a real pattern whole, and with it the noise of the
        // hours inside it; the hours above the mean are shrunk toward their own mean first.
        let noisy = BurstyTrafficTests.traffic(hours: 24 * 21, level: 1e9, bursts: false, seed: 7)
        var f = ForecastFeatures()
        var used: Int64 = 0
        f.update(observedUsedBytes: 0, at: start)
        for (i, v) in noisy.enumerated() {
            let h = BeijingHour.index((start + Double(i) * hour).timeIntervalSince1970)
            used += BeijingHour.isOffPeak(h) ? Int64(v) : 0
            f.update(observedUsedBytes: used, at: start + Double(i + 1) * hour)
        }
        let t = f.shapeTable()
        // Hour of day as learned (the cells averaged over the week) and as the shape table has it (Monday's row).
        let raw = (0..<8).map { h in (0..<7).map { Double(ForecastFeatures.widen(f.profile[$0 * 24 + h])) }.reduce(0, +) / 7 }
        let shaped = (0..<8).map { t[$0] }
        func relativeSpread(_ x: [Double]) -> Double {
            let mean = x.reduce(0, +) / Double(x.count)
            return (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(x.count)).squareRoot() / mean
        }
        #expect(relativeSpread(shaped) < 0.8 * relativeSpread(raw), "window hours \(shaped), learned \(raw)")
        #expect(abs(shaped.reduce(0, +) / 8 - 3) < 0.1, "\(shaped)")
        #expect((8..<24).allSatisfy { t[$0] < 0.05 }, "\(Array(t[8..<24]))")
    }
}
