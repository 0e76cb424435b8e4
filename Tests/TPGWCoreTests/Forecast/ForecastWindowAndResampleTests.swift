import Foundation
import Testing
@testable import TPGWCore

/// The account's off-peak window in the probabilistic forecast, and the hourly resampling of stored history the
/// backtest replays.
@Suite struct ForecastWindowAndResampleTests {
    let start = d("2026-11-02T00:00:00Z")

    /// A 6-hour window 18:00-24:00 UTC (02:00-08:00 UTC+8, not Baidu's): 1 GiB in each of its hours for two weeks.
    /// The forecast draws only inside that window, so every quantile of the exhaustion lands inside it.
    @Test func offPeakPackage_runsOutOnlyInsideItsAccountsWindow() throws {
        let window = OffPeakWindow(startMinute: 2 * 60, endMinute: 8 * 60, utcOffsetMinutes: 8 * 60)
        var f = ForecastFeatures()
        var used: Int64 = 0
        f.update(observedUsedBytes: 0, at: start)
        for i in 0..<(24 * 14) {
            let t = start + Double(i) * hour
            if window.contains(t) { used += GiB }
            f.update(observedUsedBytes: used, at: t + hour)
        }
        let now = start + 24 * 14 * hour
        let p = PackageState.make(policy: .offPeak, capacity: used + 40 * GiB, used: used, createdAt: start, expiresAt: start + 90 * day, observedAt: now)
        let fc = ProbabilisticForecaster.forecast(package: p, features: f, now: now, offPeak: window)
        #expect(abs(fc.burnBytesPerHour - Double(GiB) / 4) < Double(GiB) / 40, "6 GiB a day is 1/4 GiB per wall-clock hour")
        for at in [fc.exhaustsAtP10, fc.exhaustsAt, fc.exhaustsAtP90] {
            let t = try #require(at)
            // Inside the window, or exactly at its end.
            #expect(window.contains(t) || window.contains(t - 1), "\(t)")
        }
        let median = try #require(fc.exhaustsAt)
        // 40 GiB at 6 a day: six windows and 4 h of the seventh.
        #expect(abs(median.timeIntervalSince(d("2026-11-22T22:00:00Z"))) < 2 * hour)
    }

    @Test func hourly_interpolatesBetweenIrregularObservations() throws {
        let key = PackageKey(provider: "bce", account: "prod", region: "bj", id: "tp-1")
        let observations: [(at: Date, usedBytes: Int64)] = [
            (start + 3 * hour, 300), (start + 30 * 60, 50), (start + 90 * 60, 150),
        ]
        let s = try #require(BacktestSeries.hourly(
            key: key, policy: .fullTime, capacityBytes: 1000, createdAt: start, expiresAt: start + day, observations: observations))
        #expect(s.start == start + hour)
        #expect(s.usedBytes == [100, 200, 300])
    }

    @Test(arguments: [[(Double, Int64)](), [(0.5, 10)], [(0.2, 10), (0.7, 20)]])
    func hourly_needsTwoHours(_ points: [(Double, Int64)]) {
        let key = PackageKey(provider: "bce", account: "prod", region: "bj", id: "tp-1")
        let s = BacktestSeries.hourly(
            key: key, policy: .fullTime, capacityBytes: 1000, createdAt: start, expiresAt: start + day,
            observations: points.map { (at: start + $0.0 * hour, usedBytes: $0.1) })
        #expect(s == nil)
    }
}
