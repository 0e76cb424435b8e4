import Foundation
import Testing
@testable import TPGWCore

@Suite struct ForecastFeaturesTests {
    let start = d("2026-11-02T00:00:00Z")  // a Monday, 08:00 Beijing

    /// Features fed hourly from `deltas` (bytes per hour), starting at `start`.
    func features(_ deltas: [Double]) -> ForecastFeatures { .fed(deltas, from: start) }

    @Test func storage_isUnderEightHundredBytes() {
        let f = features(Array(repeating: 1e9, count: 100))
        // The profile in Float16, ring and daily levels in Float32, plus the scalars (the arrays' heap headers aside).
        #expect(f.profile.count * MemoryLayout<Float16>.size + f.buffer.count * MemoryLayout<Float>.size
            + MemoryLayout<ForecastFeatures>.size <= 800)
        // Inline (what the feature store's dictionary holds per package): 8-byte fields first, no padding between them.
        #expect(MemoryLayout<ForecastFeatures>.stride <= 184)
    }

    @Test func widen_isSwiftsConversion_forEveryHalf() {
        var mismatches = 0
        for bits in 0...UInt16.max {
            let h = Float16(bitPattern: bits)
            let fast = ForecastFeatures.widen(h)
            let slow = Float(h)
            if fast.isNaN ? !slow.isNaN : fast.bitPattern != slow.bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func profileCells_holdTheirValueToHalfPrecision() {
        // Busy and quiet hours over three weeks: every cell seen, each a value of 0-50.
        let deltas: [Double] = (0..<24 * 21).map { (i: Int) -> Double in i % 24 < 8 ? 3e9 : 2e8 + Double(i % 7) * 1e7 }
        let f = features(deltas)
        #expect(f.hasWeeklyProfile)
        var sum = 0.0
        for v in f.profile {
            #expect(!v.isNaN && v >= 0 && v <= 50)
            sum += Double(ForecastFeatures.widen(v))
        }
        #expect(f.profileCount == 168)
        // The running sum kept beside the cells is the sum of the rounded cells (the mean the shape table uses).
        #expect(abs(sum - f.profileSum) < 1e-3 * max(sum, 1))
    }

    @Test func steadyTraffic_learnsItsLevelAndAFlatShape() {
        let f = features(Array(repeating: 2e9, count: 24 * 10))
        #expect(abs((f.currentLevel ?? 0) / 2e9 - 1) < 0.01)
        #expect(abs(f.shape(hour: 12) - 1) < 0.01)
        #expect(f.historyHours == 240)
        #expect(f.changePointHour == nil)
    }

    @Test func businessHours_shapeFollowsBeijingTime() {
        // 10:00-18:00 Beijing (02:00-10:00 UTC) busy, quiet otherwise.
        let deltas = (0..<24 * 14).map { i -> Double in
            let utc = i % 24
            return utc >= 2 && utc < 10 ? 3e9 : 1e8
        }
        let f = features(deltas)
        let busy = BeijingHour.index(d("2026-11-20T05:00:00Z").timeIntervalSince1970)
        let quiet = BeijingHour.index(d("2026-11-20T20:00:00Z").timeIntervalSince1970)
        #expect(f.shape(hour: busy) > 10 * f.shape(hour: quiet))
    }

    @Test(arguments: [2.0, 0.0])
    func stepInsideTheLastDay_isAChangePoint_andTheLevelFollowsIt(_ factor: Double) {
        let before = Array(repeating: 1e9, count: 24 * 10)
        let after = Array(repeating: 1e9 * factor, count: 8)
        let f = features(before + after)
        let change = BeijingHour.index((start + 240 * hour).timeIntervalSince1970)
        #expect(f.changePointHour.map { abs($0 - change) <= 2 } == true, "change point \(String(describing: f.changePointHour)), step \(change)")
        #expect(abs((f.currentLevel ?? -1) - 1e9 * factor) < 0.15e9)
    }

    @Test func counterGoingDown_countsAsNoTraffic_andTimeGoingBack_isIgnored() {
        var f = ForecastFeatures()
        f.update(observedUsedBytes: 100, at: start)
        f.update(observedUsedBytes: 50, at: start + hour)          // reset: no negative traffic
        f.update(observedUsedBytes: 1_000_000, at: start - day)    // older: ignored
        f.update(observedUsedBytes: 150, at: start + 2 * hour)
        #expect(f.lastUsedBytes == 150)
        #expect(f.currentLevel.map { $0 >= 0 } == true)
    }

    @Test func hostileValues_neverTrap() {
        var f = ForecastFeatures()
        let values: [Int64] = [0, .max, .min, .max, 0, -1, .max / 2, .min]
        for (i, v) in values.enumerated() { f.update(observedUsedBytes: v, at: start + Double(i) * 7 * hour) }
        f.update(observedUsedBytes: 5, at: Date(timeIntervalSince1970: .infinity))
        f.update(observedUsedBytes: 5, at: Date(timeIntervalSince1970: 1e15))
        f.update(observedUsedBytes: 5, at: start + 400 * day)  // a gap longer than a week restarts the level
        let p = PackageState.make(capacity: .max, used: 5, observedAt: start + 400 * day)
        _ = ProbabilisticForecaster.forecast(package: p, features: f, now: start + 400 * day)
        #expect(f.lastUsedBytes == 5)
    }

    @Test func longSpanBetweenSnapshots_isSpreadOverItsHours_withoutLosingBytes() {
        var f = features(Array(repeating: 1e9, count: 48))
        let used = f.lastUsedBytes
        f.update(observedUsedBytes: used + 6_000_000_000, at: start + 55 * hour)  // 6 h in one step
        #expect(abs((f.currentLevel ?? 0) / 1e9 - 1) < 0.05)
    }

    /// Days of a level growing by `perDay` (log) with a small wobble.
    static func growing(_ days: Int, perDay: Double, wobble: Double) -> [Double] {
        (0..<days).map { (i: Int) -> Double in exp(perDay * Double(i)) * (1 + wobble * Double(i % 3 - 1)) }
    }

    static let trendCases: [([Double], Bool)] = [
        // (daily bytes in units of a day's level, whether a trend is fitted)
        ([1.0, 1.1, 1.05, 1.3, 1.35], false),  // 5 days, 3.9 standard errors: noise on 3 degrees of freedom
        ([1.0, 1.02, 0.99, 1.03, 1.01, 1.0, 1.02], false),  // a week without a trend
        (growing(5, perDay: 0.2, wobble: 0.01), true),  // +20 % a day: plain on 5 days
        (growing(14, perDay: 0.03, wobble: 0.02), true),  // +3 % a day for 2 weeks
    ]

    @Test(arguments: trendCases)
    func trend_isFittedOnlyWhenItStandsOutOfItsDaysNoise(_ days: [Double], _ fitted: Bool) {
        // A slope must stand Student's t (at the level of 2.5 normal standard errors) from 0 on the days it rests on:
        // a flat 2.5 fitted a trend to bursty traffic in 1 hour in 8 (Forecast accuracy run 8).
        var f = ForecastFeatures()
        f.day = 20_000
        let first = ForecastFeatures.ringHours + ForecastFeatures.trendDays - days.count
        for (i, v) in days.enumerated() { f.buffer[first + i] = Float(v * 24e9) }
        let fit = f.trendFit(table: [Double](repeating: 1, count: ForecastFeatures.profileHours))
        #expect((fit.perDay != 0) == fitted, "\(fit)")
    }

    @Test func weeklyPattern_workdaysLearnOneLevel_andTheWeekendKeepsItsStep() {
        // Office hours, a quarter of the traffic at weekends, +-15 % noise, three weeks: the weekend is a real step, so
        // the shrink toward flat kept the workdays' own noise (five equal workdays learned 29.5-32.2, and the level
        // swung with the week). Workdays and the weekend are each shrunk toward their own mean first (Forecast
        // accuracy run 9): this package's workday sums now span 1.043, they spanned 1.094 (29.45-32.23).
        let s = SyntheticWorkload.series(.weekly, count: 6, seed: 20261202)[5]
        var f = ForecastFeatures()
        for i in 0..<600 { f.update(observedUsedBytes: s.usedBytes[i], at: s.start + Double(i) * hour) }
        let table = f.shapeTable()
        let days = (0..<7).map { d in (0..<24).reduce(0.0) { $0 + table[d * 24 + $1] } }
        let workdays = days[0..<5]
        let spread = workdays.max()! / workdays.min()!
        #expect(spread < 1.06, "workday sums \(days)")
        let ratio = (days[5] + days[6]) / 2 / (workdays.reduce(0, +) / 5)
        #expect(abs(ratio - 0.25) < 0.02, "weekend / workday \(ratio)")
    }

    @Test func dailyRing_holdsEachDaysBytes_whileTheProfileIsStillLearning() throws {
        // Office hours on weekdays, a quarter at weekends, bought at 08:00 Beijing on a Monday: the first weeks teach
        // the profile while days are closed. A day's seen share used to be summed from the tables of the hours as they
        // closed, and scaled whole days by up to 1.2 (Forecast accuracy run 8); each day now holds its own bytes.
        var noise = SeededRandom(seed: 3)
        let deltas = (0..<(24 * 12)).map { i -> Double in
            let how = BeijingHour.hourOfWeek(BeijingHour.index((start + Double(i) * hour).timeIntervalSince1970))
            let hod = how % 24
            let busy = hod >= 9 && hod < 19 ? 1.0 : 1.0 / 6
            return 1e9 * busy * (how >= 120 ? 0.25 : 1) * (0.85 + 0.3 * noise.unit())
        }
        let f = features(deltas)
        // Ring slot i holds Beijing day `f.day - trendDays + i`; the last slot is yesterday.
        var totals: [Int64: Double] = [:]
        for (i, v) in deltas.enumerated() {
            // Hour i's bytes are observed at start + i + 1 h, and belong to the hour that began at start + i h.
            totals[BeijingHour.day(BeijingHour.index((start + Double(i) * hour).timeIntervalSince1970)), default: 0] += v
        }
        var compared = 0
        for i in 0..<ForecastFeatures.trendDays {
            let v = Double(f.buffer[ForecastFeatures.ringHours + i])
            guard !v.isNaN else { continue }
            let d = f.day - Int64(ForecastFeatures.trendDays - i)
            let truth = try #require(totals[d])
            #expect(abs(v / truth - 1) < 1e-4, "day \(d): ring \(v), true \(truth)")
            compared += 1
        }
        #expect(compared >= 10)
    }
}

/// The level's weights are re-expressed in the current shape table at every closed hour; the closed form must equal
/// the hour-by-hour sum it replaces.
@Suite struct DecayedShapeTests {
    @Test(arguments: [1, 5, 167, 168, 169, 335, 500, 2_000, 100_000])
    func closedForm_equalsTheHourByHourSum(_ hours: Int) {
        let table = (0..<ForecastFeatures.profileHours).map { 0.2 + Double(($0 * 37) % 101) / 40 }
        let last: Int64 = 493_117
        for tau in [ForecastFeatures.levelTau, ForecastFeatures.longLevelTau] {
            let beta = exp(-1 / tau)
            var sum = 0.0, squares = 0.0
            for age in 0..<min(hours, 20_000) {
                let t = table[BeijingHour.hourOfWeek(last - Int64(age))]
                sum += pow(beta, Double(age)) * t
                squares += pow(beta, Double(2 * age)) * t * t
            }
            let closed = ForecastFeatures.decayedShape(table: table, lastHour: last, hours: hours, beta: beta)
            #expect(abs(closed.sum - sum) <= 1e-9 * sum, "tau \(tau), \(hours) h: \(closed.sum) vs \(sum)")
            #expect(abs(closed.squares - squares) <= 1e-9 * squares, "tau \(tau), \(hours) h: \(closed.squares) vs \(squares)")
        }
    }

    @Test func noHours_weighNothing() {
        let closed = ForecastFeatures.decayedShape(table: [Double](repeating: 1, count: 168), lastHour: 0, hours: 0, beta: 0.99)
        #expect(closed.sum == 0 && closed.squares == 0)
    }
}
