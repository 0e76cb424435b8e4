import Foundation

/// Forecasts a package from its ``ForecastFeatures``: median, P10 and P90 of when it runs out and of what is left
/// at expiry, with the basis. Pure: `now` is passed in and nothing is read.
///
/// Demand per future hour = level x hour-of-week profile x trend (see ``ForecastFeatures``); an off-peak package
/// draws only in its window (below). The cumulative demand over a horizon is taken as log-normal around
/// that median, with a log-sigma that adds a floor, the level's own uncertainty, the hour-to-hour noise
/// averaged over the horizon (less spread the longer the horizon) and the trend's error growing with the
/// horizon. P10 of exhaustion is where the high-demand scenario (z = +1.28) runs out; P90 the low one. An off-peak
/// package draws only inside its account's off-peak window (`offPeak`; Baidu's 00:00-08:00 UTC+8 by default).
///
/// With under ``minimumHistoryHours`` of history it falls back to the lifetime average since activation with a
/// wide spread and says so (`basis.model == "lifetime-average"`).
package enum ProbabilisticForecaster {
    package static let minimumHistoryHours: Int32 = 6
    /// Spread tuning (log-scale): floor, multiplier on the hour noise, extra floor right after a change point. The
    /// floor was 0.015 until forecast accuracy run 3: with the profile and daily levels learned cleanly it made calm
    /// packages' intervals too wide (coverage 88 %).
    package static let sigmaFloor = 0.005
    package static let noiseInflation = 1.0
    package static let changePointSigma = 0.12
    /// Trend error assumed when no trend is fitted (log per day).
    package static let defaultTrendSE = 0.002
    /// Extra weight of the heavy-tail part of the hour noise (``ForecastFeatures/tailVariance``) in sums of hours:
    /// E[L^2] / E[L] - 1 for bursts of L hours; 0.67 for bursts of 1-2 hours.
    package static let burstCorrelation = 0.67
    /// How far to look for exhaustion (400 days, as the pool simulation).
    package static let horizonHours: Double = 400 * 24

    /// Forecast for one package at `now` from its features (already updated with its latest snapshot).
    /// - Parameter offPeak: the account's off-peak window (an off-peak package draws only inside it).
    package static func forecast(package p: PackageState, features f: ForecastFeatures, now: Date, offPeak: OffPeakWindow = .bce) -> PackageForecast {
        guard ForecastProjection.isForecastable(p) else { return .none }
        guard let curve = curve(features: f, policy: p.policy, start: p.observedAt, now: now, offPeak: offPeak) else {
            return fallback(package: p, historyHours: Int(f.historyHours), now: now, offPeak: offPeak)
        }
        return project(package: p, curve: curve, basis: basis(f, now: now), offPeak: offPeak)
    }

    /// The demand curve of features from `start` (nil with too little history).
    package static func curve(
        features f: ForecastFeatures, policy: PackagePolicy, start: Date, now: Date, offPeak: OffPeakWindow = .bce
    ) -> DemandCurve? {
        guard f.historyHours >= minimumHistoryHours, let level = f.currentLevel else { return nil }
        let table = f.shapeTable()
        let trend = f.trendFit(table: table)
        let g = trend.perDay
        // Short and long levels, each brought forward to now by the trend, mixed by how noisy the traffic is.
        let w = f.longLevelShare
        let short = level * min(max(exp(g * f.levelMeanAge / 24), 0.2), 5)
        let long = (f.longLevel?.level ?? level) * min(max(exp(g * f.longLevelMeanAge / 24), 0.2), 5)
        let levelNow = (1 - w) * short + w * long
        let levelHours = (1 - w) * f.levelWeight + w * (f.longLevel?.weight ?? f.levelWeight)
        // Days the level rests on, by the clock (an off-peak package's level rests on a third of the hours of
        // as many days): twice the time constant at most, as an exponential average.
        let since = Double(f.levelHours)
        let levelDays = ((1 - w) * min(since, 2 * ForecastFeatures.levelTau) + w * min(since, 2 * ForecastFeatures.longLevelTau)) / 24
        let startHour = BeijingHour.index(start.timeIntervalSince1970)
        let offPeakOnly = policy == .offPeak
        // Bursts last more than an hour: a burst of L hours adds L^2, not L, to the variance of a sum of hours, so
        // the heavy tail of the hour noise counts (1 + burstCorrelation) times.
        let noise2 = f.noiseSigma * f.noiseSigma + burstCorrelation * f.tailVariance
        // The day-to-day spread at its measured value. It was weighted 0.75, then 0.6, while the daily ring scaled days
        // of the first weeks by up to 1.2 and so measured more spread than the traffic had (Forecast accuracy run 8).
        let daily2 = trend.residualSigma.map { $0 * $0 } ?? 0
        let sinceChange = f.changePointHour.map { Double(startHour - $0) } ?? .infinity
        let changeBoost = sinceChange < 48 ? changePointSigma * changePointSigma * (1 - sinceChange / 48) : 0
        // The window is daily in UTC: the share of each UTC hour of the day inside it.
        let inWindow: [Double]? = offPeakOnly
            ? (0..<24).map { offPeak.windowSeconds(from: Date(timeIntervalSince1970: Double($0) * 3600), to: Date(timeIntervalSince1970: Double($0 + 1) * 3600)) / 3600 }
            : nil
        return DemandCurve(
            start: start.timeIntervalSince1970, level: levelNow, growthPerDay: g, weeklyUnits: table, windowShare: inWindow,
            sigmaFloor2: sigmaFloor * sigmaFloor + changeBoost,
            sigmaLevel2: max(noise2 / max(levelHours, 1), daily2 / max(levelDays, 1)),
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
    package static func project(package p: PackageState, curve: DemandCurve, basis: ForecastBasis, offPeak: OffPeakWindow = .bce) -> PackageForecast {
        let remaining = Double(p.remainingBytes)
        let burn = curve.dailyAverageRate
        let z = NormalQuantile.z90
        let mid = curve.drawn(throughHours: sigmaHorizonHours, z: 0)
        let high = curve.drawn(throughHours: sigmaHorizonHours, z: z)
        let sigma = mid > 0 && high > 0 ? max(0, log(high / mid) / z) : 0
        guard p.status == .active else {
            var f = ForecastProjection.project(package: p, burnBytesPerHour: burn, offPeak: offPeak)
            f.demandSigma = sigma
            f.basis = basis
            f.unusedAtExpiryBytesP10 = f.unusedAtExpiryBytes
            f.unusedAtExpiryBytesP90 = f.unusedAtExpiryBytes
            return f
        }
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
        // The early quantiles rules use, each a scenario of the same curve (z > 0: more demand).
        f.tail = RunwayTail(p005: at(-RunwayTail.z[0]), p01: at(-RunwayTail.z[1]), p025: at(-RunwayTail.z[2]), p05: at(-RunwayTail.z[3]))
        f.unusedAtExpiryBytesP10 = unused(z)
        f.unusedAtExpiryBytesP90 = unused(-z)
        f.basis = basis
        f.demandSigma = sigma
        return f
    }

    /// The horizon at which ``PackageForecast/demandSigma`` is measured (3 days).
    package static let sigmaHorizonHours: Double = 72

    /// Log-scale spread of the lifetime-average fallback (+-60 % at P10/P90).
    package static let fallbackSigma = 0.45

    /// Too little history: the lifetime average since activation, spread +-60 % (log 0.45).
    private static func fallback(package p: PackageState, historyHours: Int, now: Date, offPeak: OffPeakWindow) -> PackageForecast {
        let activation = p.activatedAt ?? p.createdAt
        let seconds = p.observedAt.timeIntervalSince(activation)
        let burn = seconds > 0 ? Double(max(0, p.usedBytes)) / (seconds / 3600) : 0
        var f = ForecastProjection.project(package: p, burnBytesPerHour: burn, offPeak: offPeak)
        let basis = ForecastBasis(historyHours: historyHours, model: "lifetime-average", changePointAt: nil)
        f.basis = basis
        f.unusedAtExpiryBytesP10 = f.unusedAtExpiryBytes
        f.unusedAtExpiryBytesP90 = f.unusedAtExpiryBytes
        f.demandSigma = fallbackSigma
        guard p.status == .active, burn > 0, p.remainingBytes > 0 else { return f }
        let spread = exp(fallbackSigma * NormalQuantile.z90)
        let high = ForecastProjection.project(package: p, burnBytesPerHour: burn * spread, offPeak: offPeak)
        let low = ForecastProjection.project(package: p, burnBytesPerHour: burn / spread, offPeak: offPeak)
        f.exhaustsAtP10 = high.exhaustsAt
        f.exhaustsAtP90 = low.exhaustsAt
        f.unusedAtExpiryBytesP10 = high.unusedAtExpiryBytes
        f.unusedAtExpiryBytesP90 = low.unusedAtExpiryBytes
        return f
    }
}
