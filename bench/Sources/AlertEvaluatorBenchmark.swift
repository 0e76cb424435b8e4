import Foundation
import TPGWCore

/// `tpgw-bench alert-evaluator`: every rule kind of one budget (the product example's 8 rules, unscoped) over
/// `TPGW_BENCH_PACKAGES` packages (default 100,000) in 30 sources, most of them breaching one rule or more, far more
/// than in practice: the alert engine runs this after every poll. (`AlertEvaluatorTests` keeps a 20,000-package run.)
enum AlertEvaluatorBenchmark {
    static let budgetJSON = #"""
        {"name": "runway", "rules": [{"kind": "usedRatio", "thresholds": [0.8, 0.95]}, {"kind": "remainingBytes", "below": 1099511627776}, {"kind": "exhaustion", "withinHours": 72}, {"kind": "exhaustsBeforeExpiry"}, {"kind": "expiryWaste", "withinDays": 7, "unusedRatioAbove": 0.3}, {"kind": "coverageGap", "withinHours": 24}, {"kind": "statusChange"}, {"kind": "sourceStale", "afterMinutes": 30}], "channels": ["<channel id>"], "repeatIntervalHours": 24}
        """#

    static func run(_ env: [String: String]) async throws {
        let n = env["TPGW_BENCH_PACKAGES"].flatMap(Int.init) ?? 100_000
        let gib: Int64 = 1 << 30, hour: TimeInterval = 3600, day: TimeInterval = 86400
        let now = Date(timeIntervalSince1970: 1_795_334_400)  // 2026-11-22T08:00:00Z
        let budget = try Budget.decodeValidated(from: Data(budgetJSON.utf8))
        var packages: [PackageState] = []
        var forecasts: [PackageKey: PackageForecast] = [:]
        var previous: [PackageKey: PackageStatus] = [:]
        for i in 0..<n {
            let p = PackageState(
                key: PackageKey(provider: "bce", account: "acct\(i % 3)", region: Regions.bce[i % 10], id: "tp-\(i)"), policy: .fullTime,
                status: i % 50 == 0 ? .usedUp : .active, capacityBytes: 100 * gib, usedBytes: Int64(i % 100) * gib,
                createdAt: now - 21 * day, activatedAt: now - 21 * day, expiresAt: now + Double(1 + i % 60) * day, observedAt: now)
            packages.append(p)
            forecasts[p.key] = PackageForecast(
                burnBytesPerHour: 1, exhaustsAt: now + Double(i % 200) * hour, exhaustsBeforeExpiry: i % 2 == 0,
                unusedAtExpiryBytes: Int64(i % 40) * gib)
            previous[p.key] = .active
        }
        let sources = (0..<30).map {
            AlertSourceHealth(source: SourceID(account: "acct\($0 % 3)", region: Regions.bce[$0 % 10]), lastSuccessAt: now - Double($0) * 120,
                              watchedSince: now - day)
        }
        let pools = Dictionary(uniqueKeysWithValues: sources.map {
            ($0.source, PoolForecast(source: $0.source, remainingBytes: 10 * gib, activePackages: 3000, burnBytesPerHour: 1, demand: .flat(1),
                                     nextExhaustion: nil, emptyAt: now + 12 * hour, packages: []))
        })
        var count = 0
        let ms = await Bench.median(5) {
            count = AlertEvaluator.evaluate(budget: budget, packages: packages, forecasts: forecasts, pools: pools, sources: sources,
                                            previousStatuses: previous, now: now).count
        }
        try Bench.check(count > 0, "no condition")
        Bench.report("alert_evaluator_8_rules_\(n)_packages_ms_median5", String(format: "%.1f", ms))
        Bench.report("alert_evaluator_conditions", "\(count)")

        // The gateway's forecasts are probabilistic: the forecast rules read their quantiles (P10, P5, ...) through
        // `RunwayQuantiles` for every active package, which plain forecasts skip. The same packages with quantiles:
        let basis = ForecastBasis(historyHours: 500, model: "weekly-profile", changePointAt: nil)
        for (key, f) in forecasts {
            var q = f
            let median = f.exhaustsAt!.timeIntervalSince(now)
            func at(_ factor: Double) -> Date { now + median * factor }
            q.exhaustsAtP10 = at(0.8)
            q.exhaustsAtP90 = at(1.25)
            q.tail = RunwayTail(p005: at(0.6), p01: at(0.65), p025: at(0.7), p05: at(0.75))
            q.unusedAtExpiryBytesP10 = f.unusedAtExpiryBytes / 2
            q.unusedAtExpiryBytesP90 = f.unusedAtExpiryBytes * 2
            q.basis = basis
            forecasts[key] = q
        }
        var probabilistic = 0
        let msQuantiles = await Bench.median(5) {
            probabilistic = AlertEvaluator.evaluate(budget: budget, packages: packages, forecasts: forecasts, pools: pools, sources: sources,
                                                    previousStatuses: previous, now: now).count
        }
        try Bench.check(probabilistic > 0, "no condition with quantiles")
        Bench.report("alert_evaluator_8_rules_\(n)_probabilistic_forecasts_ms_median5", String(format: "%.1f", msQuantiles))
        Bench.report("alert_evaluator_conditions_probabilistic", "\(probabilistic)")
    }
}
