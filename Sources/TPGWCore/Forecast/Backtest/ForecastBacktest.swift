import Foundation

/// Replays stored history: at every past hour it forecasts each package from what was known then (its features
/// updated hour by hour) and compares with what happened. Pure; the same code serves the benchmark, the CLI and
/// `GET /v1/forecast/accuracy`.
///
/// Alerts are replayed like the `exhaustion` rule (``ExhaustionHysteresis``): firing when the runway at quantile
/// `1 - confidence` is within `horizonHours`, resolving only when the runway at half that quantile clears the
/// horizon by 5 %.
package struct ForecastBacktest: Sendable {
    package var horizonHours: Double
    package var confidence: Double
    /// Points are scored only when the true runway is within this window (7 days).
    package var evaluationHours: Double
    /// Hours of history a package needs before its forecasts are scored.
    package var warmupHours: Int

    package init(horizonHours: Double = 24, confidence: Double = 0.9, evaluationHours: Double = 168, warmupHours: Int = 168) {
        self.horizonHours = horizonHours
        self.confidence = confidence
        self.evaluationHours = evaluationHours
        self.warmupHours = warmupHours
    }

    package func run(_ series: [BacktestSeries]) -> ForecastAccuracyReport {
        var overall = AccuracyTally()
        var byAccount: [String: AccuracyTally] = [:]
        var byRegion: [String: AccuracyTally] = [:]
        var byPolicy: [String: AccuracyTally] = [:]
        var byLabel: [String: AccuracyTally] = [:]
        for s in series {
            let t = replay(s)
            overall.merge(t)
            byAccount[s.key.account, default: .init()].merge(t)
            byRegion[s.key.region, default: .init()].merge(t)
            byPolicy[s.policy.rawValue, default: .init()].merge(t)
            if let label = s.label { byLabel[label, default: .init()].merge(t) }
        }
        return ForecastAccuracyReport(
            horizonHours: horizonHours, confidence: confidence, packages: series.count, overall: overall.accuracy,
            byAccount: byAccount.mapValues(\.accuracy), byRegion: byRegion.mapValues(\.accuracy),
            byPolicy: byPolicy.mapValues(\.accuracy), byLabel: byLabel.mapValues(\.accuracy))
    }

    /// Tallies of one package.
    func replay(_ s: BacktestSeries) -> AccuracyTally {
        var tally = AccuracyTally()
        var features = ForecastFeatures()
        let exhausted = s.exhaustedAt
        let rule = ExhaustionHysteresis(withinHours: horizonHours, confidence: confidence)
        var firing = false
        var warnedCounted = false
        let warnBy = exhausted?.addingTimeInterval(-horizonHours * 3600)
        let end = s.start.addingTimeInterval(Double(s.usedBytes.count - 1) * 3600)
        if let exhausted, exhausted.timeIntervalSince(s.start) >= Double(warmupHours) * 3600 + horizonHours * 3600 {
            tally.exhaustions = 1
        } else {
            warnedCounted = true  // not scored: too little history before the warning was due
        }
        /// One evaluation of the rule at `now` (fire, resolve, count a warning and whether it was false).
        func evaluate(_ f: PackageForecast, now: Date) {
            let trueHours = exhausted.map { $0.timeIntervalSince(now) / 3600 }
            let runways = rule.runways(f, expiresAt: s.expiresAt, now: now)
            if !firing, rule.breaches(runways) {
                firing = true
                // True runway unknown when the history ends too soon to tell.
                if let h = trueHours {
                    tally.warnings += 1
                    if h > 1.5 * horizonHours { tally.falseWarnings += 1 }
                } else if end.timeIntervalSince(now) / 3600 > 1.5 * horizonHours {
                    tally.warnings += 1
                    tally.falseWarnings += 1
                }
            } else if firing, !rule.holds(runways) {
                firing = false
            }
        }
        func state(used: Int64, at now: Date) -> PackageState {
            PackageState(
                key: s.key, policy: s.policy, status: .active, capacityBytes: s.capacityBytes, usedBytes: used,
                createdAt: s.createdAt, activatedAt: s.createdAt, expiresAt: s.expiresAt, observedAt: now)
        }
        for i in s.usedBytes.indices {
            let now = s.start.addingTimeInterval(Double(i) * 3600)
            let used = s.usedBytes[i]
            features.update(observedUsedBytes: used, at: now)
            if used >= s.capacityBytes { break }
            guard i >= warmupHours else { continue }
            let f = ProbabilisticForecaster.forecast(package: state(used: used, at: now), features: features, now: now, offPeak: s.offPeak)
            let trueHours = exhausted.map { $0.timeIntervalSince(now) / 3600 }
            if let h = trueHours, h > 0, h <= evaluationHours, s.scored?.contains(i) ?? true {
                let predicted = f.exhaustsAt.map { $0.timeIntervalSince(now) / 3600 }
                let ape = predicted.map { abs($0 - h) / h } ?? 1
                tally.apes.append(Float(min(ape, 1e6)))
                if let lo = f.exhaustsAtP10, lo <= exhausted!, f.exhaustsAtP90.map({ exhausted! <= $0 }) ?? true {
                    tally.covered += 1
                }
            }
            // The exhaustion rule, replayed.
            evaluate(f, now: now)
            guard !warnedCounted, let warnBy, now.addingTimeInterval(3600) > warnBy else { continue }
            // The rule's state at the instant the warning is due. The gateway evaluates rules at every poll (a minute
            // apart), not once an hour: when that instant falls inside the hour, the rule is evaluated there too, on
            // the snapshot interpolated between the hour's two samples (the features only accumulate it in the open
            // hour, so the hourly replay that follows is unchanged).
            if warnBy > now, i + 1 < s.usedBytes.count {
                let share = warnBy.timeIntervalSince(now) / 3600
                let next = Double(s.usedBytes[i + 1])
                let u = Int64(saturating: (Double(used) + (next - Double(used)) * share).rounded())
                if u < s.capacityBytes {
                    features.update(observedUsedBytes: u, at: warnBy)
                    evaluate(ProbabilisticForecaster.forecast(package: state(used: u, at: warnBy), features: features, now: warnBy, offPeak: s.offPeak), now: warnBy)
                }
            }
            if firing { tally.warnedAhead = 1 }
            warnedCounted = true
        }
        return tally
    }
}
