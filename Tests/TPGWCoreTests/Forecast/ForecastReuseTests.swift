import Foundation
import Testing
@testable import TPGWCore

/// When a view rebuild may keep a package's previous forecast: only within the hour its features are in, for the same
/// package terms, and while the remaining bytes stay within 0.5 % of those the forecast was made from; and what that
/// costs against a forecast made afresh.
@Suite struct ForecastReuseTests {
    /// A package of `series` observed `minutes` into hour `hour` of its history, with the features folded up to then.
    /// - Parameter folded: the features already folded through hour `hour` (saves refolding the history per state).
    static func state(
        _ s: BacktestSeries, hour: Int, minutes: Double, usedDelta: Int64 = 0, folded: ForecastFeatures? = nil
    ) -> (PackageState, ForecastFeatures) {
        var f = folded ?? Self.folded(s, through: hour, from: ForecastFeatures(), after: -1)
        let at = s.start.addingTimeInterval(Double(hour) * 3600 + minutes * 60)
        let used = s.usedBytes[hour] + usedDelta
        f.update(observedUsedBytes: used, at: at)
        let p = PackageState(
            key: s.key, policy: s.policy, status: .active, capacityBytes: max(s.capacityBytes, used * 2), usedBytes: used,
            createdAt: s.createdAt, activatedAt: nil, expiresAt: s.expiresAt, observedAt: at)
        return (p, f)
    }

    /// `f` (folded through hour `after`) with the hourly observations after it up to `hour`.
    static func folded(_ s: BacktestSeries, through hour: Int, from f: ForecastFeatures, after: Int) -> ForecastFeatures {
        var f = f
        for i in (after + 1)...max(after + 1, hour) where i <= hour {
            f.update(observedUsedBytes: s.usedBytes[i], at: s.start.addingTimeInterval(Double(i) * 3600))
        }
        return f
    }

    static let series = SyntheticWorkload.series(.diurnal, count: 1, seed: 3)[0]

    @Test(arguments: [
        ("the same state", 0.0, Int64(0), true),
        ("later in the same hour, nothing drawn", 40, 0, true),
        ("later in the same hour, a little drawn", 40, 1 << 20, true),
        ("the next hour (an hour closed)", 70, 0, false),
    ])
    func admits_withinTheHourOnly(_ label: String, _ minutes: Double, _ drawn: Int64, _ expected: Bool) {
        let s = Self.series
        let (old, f0) = Self.state(s, hour: 300, minutes: 5)
        let stamp = ForecastStamp(package: old, features: f0)
        let (new, f1) = Self.state(s, hour: 300 + Int(minutes / 60), minutes: 5 + minutes.truncatingRemainder(dividingBy: 60), usedDelta: drawn)
        var same = new
        same.capacityBytes = old.capacityBytes
        #expect(ForecastReuse.admits(stamp: stamp, old: old, new: same, features: f1) == expected, "\(label)")
    }

    @Test func changedTerms_orNoFeatures_areNeverReused() {
        let (old, f) = Self.state(Self.series, hour: 300, minutes: 5)
        let stamp = ForecastStamp(package: old, features: f)
        #expect(ForecastReuse.admits(stamp: stamp, old: old, new: old, features: f))
        var changes: [(String, PackageState)] = []
        func with(_ label: String, _ change: (inout PackageState) -> Void) {
            var p = old
            change(&p)
            changes.append((label, p))
        }
        with("capacity") { $0.capacityBytes += 1 }
        with("expiry") { $0.expiresAt += 86400 }
        with("policy") { $0.policy = $0.policy == .offPeak ? .fullTime : .offPeak }
        with("status") { $0.status = .usedUp }
        with("observed earlier") { $0.observedAt -= 60 }
        for (label, p) in changes { #expect(!ForecastReuse.admits(stamp: stamp, old: old, new: p, features: f), "\(label)") }
        #expect(!ForecastReuse.admits(stamp: .none, old: old, new: old, features: f), "a forecast made without features")
        #expect(ForecastStamp(package: old, features: nil) == .none)
    }

    @Test func remainingShare_isMeasuredFromTheStamp_soAChainDoesNotDrift() {
        let (old, f) = Self.state(Self.series, hour: 300, minutes: 5)
        let stamp = ForecastStamp(package: old, features: f)
        let step = Int64(Double(old.remainingBytes) * 0.003)
        var p = old
        p.usedBytes += step
        #expect(ForecastReuse.admits(stamp: stamp, old: old, new: p, features: f), "0.3 % of the remaining")
        var q = p
        q.usedBytes += step
        // Against the last state q moved 0.3 % again, but 0.6 % against what the forecast was made from.
        #expect(!ForecastReuse.admits(stamp: stamp, old: p, new: q, features: f))
    }

    /// A reused forecast against one made afresh, over every synthetic family: polls 5-55 minutes into an hour, the
    /// remaining moved by up to 0.5 %. Exact for the same state; otherwise the median exhaustion moves by at most the
    /// time that demand takes (here: the elapsed minutes plus 0.5 % of the runway, scaled by the hour's shape).
    @Test func reusedForecasts_stayCloseToFreshOnes() throws {
        var worst = 0.0
        var compared = 0
        for family in SyntheticFamily.allCases {
            for s in SyntheticWorkload.series(family, count: 3, seed: 11) {
                // History folded once per series, hour by hour up to each checkpoint (not refolded per state).
                var base = ForecastFeatures()
                var baseHour = -1
                for hour in stride(from: 250, to: min(600, s.usedBytes.count - 2), by: 37) {
                    base = Self.folded(s, through: hour, from: base, after: baseHour)
                    baseHour = hour
                    let (old, f0) = Self.state(s, hour: hour, minutes: 5, folded: base)
                    guard old.remainingBytes > 0 else { continue }
                    let reused = ProbabilisticForecaster.forecast(package: old, features: f0, now: old.observedAt)
                    #expect(ProbabilisticForecaster.forecast(package: old, features: f0, now: old.observedAt) == reused, "exact for the same state")
                    for (minutes, share) in [(20.0, 0.0), (50, 0.002), (55, -0.005), (30, 0.005)] {
                        let moved = Int64(Double(old.remainingBytes) * share)
                        var (new, f1) = Self.state(s, hour: hour, minutes: minutes, usedDelta: -moved, folded: base)
                        new.capacityBytes = old.capacityBytes
                        guard ForecastReuse.admits(stamp: ForecastStamp(package: old, features: f0), old: old, new: new, features: f1) else { continue }
                        let fresh = ProbabilisticForecaster.forecast(package: new, features: f1, now: new.observedAt)
                        guard let a = reused.exhaustsAt, let b = fresh.exhaustsAt else {
                            #expect((reused.exhaustsAt == nil) == (fresh.exhaustsAt == nil) || share != 0, "\(family) h\(hour)")
                            continue
                        }
                        let runway = max(b.timeIntervalSince(new.observedAt), 3600)
                        // Error beyond the elapsed minutes, as a share of the runway.
                        let excess = max(0, abs(a.timeIntervalSince(b)) - (minutes - 5) * 60) / runway
                        if s.policy == .fullTime { worst = max(worst, excess) }
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 100)
        // Measured: 2.5 % with the model of 5c96ff9 (1.x % before it); the bound is what a model change must keep.
        #expect(worst <= 0.03, "worst excess error of a reused full-time forecast: \(worst * 100) % of the runway")
    }
}
