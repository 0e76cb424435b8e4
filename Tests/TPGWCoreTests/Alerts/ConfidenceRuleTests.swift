import Foundation
import Testing
@testable import TPGWCore

/// Forecast rules with a `confidence`: they fire on the quantile runway and resolve with hysteresis in time and
/// probability, so a package hovering around the horizon is warned once and does not flap.
@Suite struct ConfidenceRuleTests {
    let start = d("2026-11-22T08:00:00Z")

    /// A probabilistic forecast whose P50/P10/P90 runways (hours from `now`) are given.
    func forecast(now: Date, p10: Double, p50: Double, p90: Double) -> PackageForecast {
        var f = PackageForecast(
            burnBytesPerHour: 1, exhaustsAt: now + p50 * hour, exhaustsBeforeExpiry: true, unusedAtExpiryBytes: 0)
        f.exhaustsAtP10 = now + p10 * hour
        f.exhaustsAtP90 = now + p90 * hour
        f.unusedAtExpiryBytesP10 = 0
        f.unusedAtExpiryBytesP90 = 0
        f.basis = ForecastBasis(historyHours: 200, model: "weekly-profile", changePointAt: nil)
        return f
    }

    func conditions(_ rule: AlertRule, _ p: PackageState, _ f: PackageForecast, now: Date) -> [AlertCondition] {
        AlertEvaluator.evaluate(
            budget: Budget(id: "b", name: "runway", scope: BudgetScope(), rules: [rule]), packages: [p],
            forecasts: [p.key: f], pools: [:], sources: [], previousStatuses: [:], now: now)
    }

    @Test(arguments: [
        // (P10, P50, P90 runway in hours, confidence) -> fires?
        (20.0, 30.0, 40.0, 0.9, true),   // P10 within 24 h
        (26.0, 30.0, 40.0, 0.9, false),  // P10 beyond
        (20.0, 30.0, 40.0, 0.5, false),  // the median is what counts at 0.5
        (20.0, 23.0, 40.0, 0.5, true),
        (26.0, 30.0, 40.0, 0.99, true),  // P1 extrapolated below P10
    ])
    func exhaustion_firesOnTheQuantileOfItsConfidence(_ p10: Double, _ p50: Double, _ p90: Double, _ confidence: Double, _ fires: Bool) {
        let p = PackageState.make(observedAt: start)
        let c = conditions(.exhaustion(withinHours: 24, confidence: confidence), p, forecast(now: start, p10: p10, p50: p50, p90: p90), now: start)
        #expect((c.first?.isBreaching ?? false) == fires)
    }

    @Test func exhaustion_hoveringAroundTheHorizon_firesOnceAndNeverFlaps() {
        // The P10 runway wobbles +-2 h around 24 h for two days while the median stays about 8 h later.
        var transitions: [String] = []
        var firing = false
        for i in 0..<48 {
            let now = start + Double(i) * hour
            let wobble = [-1.5, 1.8, -0.4, 2.0, 0.9, -1.9][i % 6]
            let p10 = 24 + wobble
            let f = forecast(now: now, p10: p10, p50: p10 + 8, p90: p10 + 16)
            let c = conditions(.exhaustion(withinHours: 24), PackageState.make(observedAt: now), f, now: now).first
            if !firing, c?.isBreaching == true {
                firing = true
                transitions.append("fire@\(i)")
            } else if firing, c == nil {
                firing = false
                transitions.append("resolve@\(i)")
            }
        }
        #expect(transitions == ["fire@0"])
    }

    @Test func exhaustion_resolves_whenTheCautiousQuantileClearsTheHorizon() {
        let p = PackageState.make(observedAt: start)
        // P10 at 30 h: not breaching; P5 (extrapolated) about 28 h: still held by nothing beyond 25.2 h.
        #expect(conditions(.exhaustion(withinHours: 24), p, forecast(now: start, p10: 30, p50: 40, p90: 50), now: start).isEmpty)
        // P10 at 25 h: not breaching, but P5 is within 24 h x 1.05: a firing alert is held.
        let held = conditions(.exhaustion(withinHours: 24), p, forecast(now: start, p10: 25, p50: 40, p90: 50), now: start)
        #expect(held.count == 1 && held[0].level == nil)
    }

    @Test func expiryWaste_comparesTheWastefulQuantile() {
        let p = PackageState.make(capacity: 100 * GiB, used: 50 * GiB, expiresAt: start + 3 * day, observedAt: start)
        var f = forecast(now: start, p10: 1000, p50: 1000, p90: 1000)
        f.exhaustsAt = nil
        f.exhaustsBeforeExpiry = false
        f.unusedAtExpiryBytes = 20 * GiB
        f.unusedAtExpiryBytesP10 = 10 * GiB
        f.unusedAtExpiryBytesP90 = 35 * GiB
        let rule = AlertRule.expiryWaste(withinDays: 7, unusedBytesAbove: nil, unusedRatioAbove: 0.3)
        #expect(conditions(rule, p, f, now: start).first?.isBreaching == true)  // P90 35 % >= 30 %
        let median = AlertRule.expiryWaste(withinDays: 7, unusedBytesAbove: nil, unusedRatioAbove: 0.3, confidence: 0.5)
        #expect(conditions(median, p, f, now: start).isEmpty)  // median 20 %, P75 well under 28 %
    }

    @Test func coverageGap_usesThePoolsP10EmptyInstant() {
        let bj = SourceID(account: "prod", region: "bj")
        var pool = PoolForecast(source: bj, remainingBytes: 10 * GiB, activePackages: 1, burnBytesPerHour: 1, demand: .flat(1),
                                nextExhaustion: nil, emptyAt: start + 40 * hour, packages: [])
        pool.emptyAtP10 = start + 20 * hour
        pool.emptyAtP90 = start + 60 * hour
        let c = AlertEvaluator.evaluate(
            budget: Budget(id: "b", name: "gap", scope: BudgetScope(), rules: [.coverageGap(withinHours: 24)]),
            packages: [.make(observedAt: start)], forecasts: [:], pools: [bj: pool], sources: [], previousStatuses: [:], now: start)
        #expect(c.first?.isBreaching == true)
        #expect(c.first?.facts.at == start + 20 * hour)
    }
}
