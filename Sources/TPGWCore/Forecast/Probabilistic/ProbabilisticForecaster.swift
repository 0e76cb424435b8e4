import Foundation

/// Forecasts a package from its ``ForecastFeatures``: median, P10 and P90 of when it runs out and of what is left
/// at expiry, with the basis. Pure: `now` is passed in and nothing is read.
///
/// Demand per future hour = level x hour-of-week profile x trend (see ``ForecastFeatures``); an off-peak package
/// draws only in 00:00-08:00 Beijing time. The cumulative demand over a horizon is taken as log-normal around
/// that median, with a log-sigma that adds a floor, the level's own uncertainty, the hour-to-hour noise
/// averaged over the horizon (less spread the longer the horizon) and the trend's error growing with the
/// horizon. P10 of exhaustion is where the high-demand scenario (z = +1.28) runs out; P90 the low one.
///
/// With under ``minimumHistoryHours`` of history it falls back to the lifetime average since activation with a
/// wide spread and says so (`basis.model == "lifetime-average"`).
package enum ProbabilisticForecaster {
    package static let minimumHistoryHours: Int32 = 6
    /// Spread tuning (log-scale): floor, multiplier on the hour noise, extra floor right after a change point.
    package static let sigmaFloor = 0.015
    package static let noiseInflation = 1.0
    package static let changePointSigma = 0.12
    /// Trend error assumed when no trend is fitted (log per day).
    package static let defaultTrendSE = 0.002
    /// Weight of the day-to-day spread (measured on the package's own daily levels) in the noise and level terms.
    package static let dayWeight = 0.75
    /// How far to look for exhaustion (400 days, as the pool simulation).
    package static let horizonHours: Double = 400 * 24

    /// Forecast for one package at `now` from its features (already updated with its latest snapshot).
    package static func forecast(package p: PackageState, features f: ForecastFeatures, now: Date) -> PackageForecast {
        guard Forecaster.isForecastable(p) else { return .none }
        guard let curve = curve(features: f, policy: p.policy, start: p.observedAt, now: now) else {
            return fallback(package: p, historyHours: Int(f.historyHours), now: now)
        }
        return project(package: p, curve: curve, basis: basis(f, now: now))
    }

    /// The demand curve of features from `start` (nil with too little history).
    package static func curve(features f: ForecastFeatures, policy: PackagePolicy, start: Date, now: Date) -> DemandCurve? {
        guard f.historyHours >= minimumHistoryHours, let level = f.currentLevel else { return nil }
        let trend = f.trend
        let g = trend.perDay
        // Short and long levels, each brought forward to now by the trend, mixed by how noisy the traffic is.
        let w = f.longLevelShare
        let short = level * min(max(exp(g * f.levelMeanAge / 24), 0.2), 5)
        let long = (f.longLevel?.level ?? level) * min(max(exp(g * f.longLevelMeanAge / 24), 0.2), 5)
        let levelNow = (1 - w) * short + w * long
        let levelHours = (1 - w) * f.levelWeight + w * (f.longLevel?.weight ?? f.levelWeight)
        let startHour = BeijingHour.index(start.timeIntervalSince1970)
        let offPeakOnly = policy == .offPeak
        let noise2 = f.noiseSigma * f.noiseSigma
        let daily2 = (f.dailySigma.map { $0 * $0 } ?? 0) * dayWeight
        let sinceChange = f.changePointHour.map { Double(startHour - $0) } ?? .infinity
        let changeBoost = sinceChange < 48 ? changePointSigma * changePointSigma * (1 - sinceChange / 48) : 0
        let table = f.shapeTable()
        let unit: (Int64) -> Double = { h in
            offPeakOnly && !BeijingHour.isOffPeak(h) ? 0 : table[BeijingHour.hourOfWeek(h)]
        }
        let rate: (Int64) -> Double = { h in
            let ahead = Double(min(max(h - startHour, 0), Int64(DemandCurve.steppedHours))) / 24
            return levelNow * unit(h) * exp(g * ahead)
        }
        return DemandCurve(
            start: start.timeIntervalSince1970, rate: rate, unit: unit,
            sigmaFloor2: sigmaFloor * sigmaFloor + changeBoost,
            sigmaLevel2: max(noise2 / max(levelHours, 1), daily2 / max(levelHours / 24, 1)),
            sigmaNoise2: noise2 * noiseInflation * noiseInflation,
            sigmaDay2: daily2,
            trendSE: max(trend.standardError, g == 0 ? defaultTrendSE : 0))
    }

    /// Basis of a forecast made from `f`.
    package static func basis(_ f: ForecastFeatures, now: Date) -> ForecastBasis {
        var model: String
        if f.historyHours < minimumHistoryHours {
            model = "lifetime-average"
        } else if f.historyHours < 24 {
            model = "flat"
        } else if !f.hasWeeklyProfile {
            model = "daily-profile"
        } else {
            model = "weekly-profile"
        }
        if f.historyHours >= minimumHistoryHours {
            if f.trend.perDay != 0 { model += "+trend" }
            if let c = f.changePointHour, let last = f.lastObservedAt, Double(c) * 3600 > last - 48 * 3600 { model += "+change-point" }
        }
        let at = f.changePointHour.map { Date(timeIntervalSince1970: Double($0) * 3600) }
        return ForecastBasis(historyHours: Int(f.historyHours), model: model, changePointAt: at)
    }

    /// Exhaustion and waste quantiles of `p` under `curve`.
    package static func project(package p: PackageState, curve: DemandCurve, basis: ForecastBasis) -> PackageForecast {
        let remaining = Double(p.remainingBytes)
        let burn = curve.dailyAverageRate
        guard p.status == .active else {
            var f = Forecaster.project(package: p, burnBytesPerHour: burn)
            f.basis = basis
            f.unusedAtExpiryBytesP10 = f.unusedAtExpiryBytes
            f.unusedAtExpiryBytesP90 = f.unusedAtExpiryBytes
            return f
        }
        let z = NormalQuantile.z90
        func at(_ zz: Double) -> Date? {
            curve.hoursUntil(drawn: remaining, z: zz, maxHours: horizonHours).map { p.observedAt.addingTimeInterval($0 * 3600) }
        }
        let p50 = at(0)
        let p10 = at(z)
        let p90 = at(-z)
        let untilExpiry = max(0, p.expiresAt.timeIntervalSince(p.observedAt)) / 3600
        func unused(_ zz: Double) -> Int64 {
            max(0, Int64(saturating: (remaining - curve.drawn(throughHours: untilExpiry, z: zz)).rounded()))
        }
        let before = p50.map { $0 <= p.expiresAt } ?? false
        var f = PackageForecast(
            burnBytesPerHour: burn, exhaustsAt: p50, exhaustsBeforeExpiry: before, unusedAtExpiryBytes: before ? 0 : unused(0))
        f.exhaustsAtP10 = p10
        f.exhaustsAtP90 = p90
        f.unusedAtExpiryBytesP10 = unused(z)
        f.unusedAtExpiryBytesP90 = unused(-z)
        f.basis = basis
        return f
    }

    /// Too little history: the lifetime average since activation, spread +-60 % (log 0.45).
    private static func fallback(package p: PackageState, historyHours: Int, now: Date) -> PackageForecast {
        let activation = p.activatedAt ?? p.createdAt
        let seconds = p.observedAt.timeIntervalSince(activation)
        let burn = seconds > 0 ? Double(max(0, p.usedBytes)) / (seconds / 3600) : 0
        var f = Forecaster.project(package: p, burnBytesPerHour: burn)
        let basis = ForecastBasis(historyHours: historyHours, model: "lifetime-average", changePointAt: nil)
        f.basis = basis
        f.unusedAtExpiryBytesP10 = f.unusedAtExpiryBytes
        f.unusedAtExpiryBytesP90 = f.unusedAtExpiryBytes
        guard p.status == .active, burn > 0, p.remainingBytes > 0 else { return f }
        let spread = exp(0.45 * NormalQuantile.z90)
        f.exhaustsAtP10 = Forecaster.project(package: p, burnBytesPerHour: burn * spread).exhaustsAt
        f.exhaustsAtP90 = Forecaster.project(package: p, burnBytesPerHour: burn / spread).exhaustsAt
        f.unusedAtExpiryBytesP10 = Forecaster.project(package: p, burnBytesPerHour: burn * spread).unusedAtExpiryBytes
        f.unusedAtExpiryBytesP90 = Forecaster.project(package: p, burnBytesPerHour: burn / spread).unusedAtExpiryBytes
        return f
    }
}
