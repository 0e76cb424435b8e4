import Foundation
import Testing
@testable import TPGWCore

/// The model changes of forecast accuracy run 3 (bench/RESULTS.md), one behaviour each: what is scored as the truth,
/// how the weekly profile and the daily levels are learned, and that the alert replayed on real forecasts fires once.
@Suite struct ForecastAccuracyModelTests {
    let start = d("2026-11-07T00:00:00Z")  // a Saturday, 08:00 Beijing

    func series(_ used: [Int64], capacity: Int64) -> BacktestSeries {
        let t = d("2026-11-01T00:00:00Z")
        return BacktestSeries(
            key: PackageKey(provider: "bce", account: "a", region: "bj", id: "x"), policy: .fullTime, capacityBytes: capacity,
            createdAt: t, expiresAt: t + 30 * day, start: t, usedBytes: used)
    }

    static let meterCases: [(used: [Int64], capacity: Int64, hours: Double)] = [
        ([0, 100, 200], 150, 1.5),       // a sample past the capacity: linear inside the hour
        ([0, 100, 200, 250], 250, 2.5),  // a meter stopped at the capacity: the hour drew as the one before
        ([0, 100, 200, 210], 210, 2.1),  // 10 left of an hour drawing 100: a tenth of it
        ([0, 100, 200, 350], 350, 3.0),  // more left than the hour before drew: the sample's time
        ([0, 100, 100, 150], 150, 3.0),  // an idle hour before: no rate to go by, the sample's time
        // Equal to the capacity but read past it later: not a stopped meter, the sample is the instant (an off-peak
        // workload that ran out as its window closed; run 5).
        ([0, 100, 200, 250, 250, 250, 300], 250, 3.0),
    ]

    @Test(arguments: meterCases)
    func exhaustedAt_aMeterStoppedAtTheCapacityIsNotTakenAsTheEndOfTheHour(_ c: (used: [Int64], capacity: Int64, hours: Double)) {
        let s = series(c.used, capacity: c.capacity)
        let hours = (s.exhaustedAt?.timeIntervalSince(s.start) ?? -1) / hour
        #expect(abs(hours - c.hours) < 1e-9)
    }

    @Test func aSnapshotInsideTheHour_leavesTheFeaturesOfTheHourlyReplayUnchanged() {
        // The backtest evaluates the rule at the instant a warning is due, on an interpolated snapshot.
        var hourly = ForecastFeatures()
        var extra = ForecastFeatures()
        var used: Int64 = 0
        for i in 0..<200 {
            let t = start + Double(i) * hour
            let delta = Int64(1e9 * (1 + 0.3 * sin(Double(i))))
            if i > 0 { extra.update(observedUsedBytes: used + delta / 3, at: t - 0.6 * hour) }
            used += delta
            hourly.update(observedUsedBytes: used, at: t)
            extra.update(observedUsedBytes: used, at: t)
        }
        #expect(hourly.buffer.map(\.bitPattern) == extra.buffer.map(\.bitPattern))
        #expect(hourly.profile.map(\.bitPattern) == extra.profile.map(\.bitPattern))
        #expect(hourly.historyHours == extra.historyHours && hourly.lastUsedBytes == extra.lastUsedBytes)
        #expect(hourly.currentLevel == extra.currentLevel && hourly.noiseSigma == extra.noiseSigma)
        #expect(hourly.changePointHour == extra.changePointHour && hourly.dailySigma == extra.dailySigma)
    }

    static let rateCases: [(history: Int32, rate: Float)] = [
        (24, 1), (24 + 167, 1), (24 + 168, 1), (24 + 2 * 168, 0.5), (24 + 3 * 168, 1.0 / 3), (24 + 4 * 168, 0.3),
        (24 + 20 * 168, 0.3),
    ]

    @Test(arguments: rateCases)
    func profileRate_replacesTheFirstWeekThenAveragesThenFades(_ c: (history: Int32, rate: Float)) {
        let rate = ForecastFeatures.profileRate(historyHours: c.history)
        #expect(abs(rate - c.rate) < 1e-6)
    }

    /// Weekday business hours, a quarter of that at weekends; deterministic +-15 % noise.
    func weekly(hours: Int) -> ForecastFeatures {
        var f = ForecastFeatures()
        var used: Int64 = 0
        f.update(observedUsedBytes: 0, at: start)
        for i in 0..<hours {
            let how = BeijingHour.hourOfWeek(BeijingHour.index((start + Double(i) * hour).timeIntervalSince1970))
            let hod = how % 24
            let business = hod >= 9 && hod < 19 ? 1.0 : (hod >= 7 && hod < 22 ? 0.5 : 1.0 / 6)
            used += Int64(1e9 * business * (how >= 120 ? 0.25 : 1) * (1 + 0.15 * sin(Double(i) * 2.7)))
            f.update(observedUsedBytes: used, at: start + Double(i + 1) * hour)
        }
        return f
    }

    @Test(arguments: [(3, 0.2), (4, 0.08)])
    func weeklyPattern_boughtOnASaturday_learnsItsWeekendAndCalmDailyLevels(_ weeks: Int, _ dailySigma: Double) throws {
        let f = weekly(hours: weeks * 168)
        let t = f.shapeTable()
        let weekday = (0..<120).map { t[$0] }.reduce(0, +)
        let weekend = (120..<168).map { t[$0] }.reduce(0, +)
        // Per day, the weekend draws a quarter of a weekday. The first week's values were learned against a level
        // that had only seen a weekend (before run 3 Monday stood at twice Friday): the second week replaces them.
        #expect(abs((weekend / 2) / (weekday / 5) - 0.25) < 0.05)
        let monday = (0..<24).map { t[$0] }.reduce(0, +)
        let friday = (96..<120).map { t[$0] }.reduce(0, +)
        #expect(abs(monday / friday - 1) < 0.1)
        // The day-to-day spread, deseasonalised with the current profile (days learned early do not count as noise):
        // 0.4-0.7 before run 3 on the synthetic weekly family, whose true daily spread is about 0.03.
        #expect(try #require(f.dailySigma) < dailySigma)
    }

    @Test(arguments: [0.15, 0.6])
    func trafficWithoutAPattern_getsAFlatShape(_ noise: Double) {
        var f = ForecastFeatures()
        var used: Int64 = 0
        var x: UInt64 = 42
        f.update(observedUsedBytes: 0, at: start)
        for i in 0..<(21 * 24) {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(x >> 11) / Double(1 << 53)
            used += Int64(1e9 * exp(noise * (2 * u - 1) * 1.7))
            f.update(observedUsedBytes: used, at: start + Double(i + 1) * hour)
        }
        let t = f.shapeTable()
        let sd = (t.map { ($0 - 1) * ($0 - 1) }.reduce(0, +) / Double(t.count)).squareRoot()
        // Taken at face value the cells' noise would give the table a spread of about noise x 0.25 after three weeks
        // (hour of day on 7 cells, day of week on 24); shrunk, about noise x 0.15.
        #expect(sd < noise * 0.18)
    }

    @Test func weeklyPattern_isNotShrunk() {
        let t = weekly(hours: 3 * 168).shapeTable()
        // 10:00 Beijing on a Tuesday against 03:00 on a Sunday: 1 / (1/6 x 1/4) = 24.
        #expect(t[24 + 10] / t[144 + 3] > 18)
    }

    @Test func stepUp_theProfileDoesNotKeepTheStep() {
        // Flat traffic for three weeks, then twice as much: after the change point the hours after the step are
        // re-learned against the new level, so the shape stays flat.
        var f = ForecastFeatures()
        var used: Int64 = 0
        f.update(observedUsedBytes: 0, at: start)
        for i in 0..<(21 * 24 + 30) {
            let v = (i >= 21 * 24 ? 2e9 : 1e9) * (1 + 0.1 * sin(Double(i) * 2.7))
            used += Int64(v)
            f.update(observedUsedBytes: used, at: start + Double(i + 1) * hour)
        }
        #expect(f.changePointHour != nil)
        #expect(abs((f.currentLevel ?? 0) / 2e9 - 1) < 0.1)
        let t = f.shapeTable()
        #expect(t.max()! / t.min()! < 1.15)
    }

    @Test(arguments: [SyntheticFamily.steady, .diurnal, .weekly, .offPeak, .stepUp])
    func exhaustionAlert_onRealForecasts_firesOncePerPackage(_ family: SyntheticFamily) {
        // As each package's runway passes the horizon its P10 runway wobbles around 24 h with the hour noise: the
        // alert must fire once and hold until exhaustion, not flap.
        let backtest = ForecastBacktest()
        for s in SyntheticWorkload.series(family, count: 3, seed: 11) {
            #expect(backtest.replay(s).warnings == 1, "\(s.key.id)")
        }
    }
}
