import Foundation
import TPGWCore
import TPGWStore

/// Replays the stored history through ``ForecastBacktest``: what `GET /v1/forecast/accuracy` and
/// `tpgw forecast backtest` answer. At every past hour each package is forecast from what was known then (its
/// features updated hour by hour, the same forecaster as the view, with its account's off-peak window) and compared
/// with what happened.
///
/// Bounded: at most 28 days are scored (plus the 7 days before them, which warm the features up), at most
/// `maxPackages` packages (a hash sample, the same every time), one backtest at a time per process, and the replay
/// runs on a dispatch queue, off the cooperative pool, so requests keep being served meanwhile.
package final class ForecastAccuracyRunner: Sendable {
    /// Hours of history before the scored days that only warm the features up.
    package static let warmupHours = 168
    package static let defaultMaxPackages = 2_000

    private let store: PostgresStore
    private let poolRules: [String: PoolRules]
    private let maxPackages: Int
    private let oneAtATime = KeyedConcurrencyLimiter(limit: 1)
    private let queue = DispatchQueue(label: "tpgw.forecast-backtest", qos: .utility)

    package init(store: PostgresStore, poolRules: [String: PoolRules], maxPackages: Int = defaultMaxPackages) {
        self.store = store
        self.poolRules = poolRules
        self.maxPackages = maxPackages
    }

    /// The accuracy of the forecasts over the `query.days` days before `now`.
    package func run(_ query: ForecastAccuracyQuery, now: Date) async throws -> ForecastAccuracyResult {
        try await oneAtATime.withPermit("backtest") {
            let scoredFrom = now.addingTimeInterval(-Double(query.days) * 86400)
            let from = scoredFrom.addingTimeInterval(-Double(Self.warmupHours) * 3600)
            let histories = try await store.forecastHistory(from: from, to: now, limit: maxPackages + 1)
            let sampled = histories.count > maxPackages
            let rules = poolRules
            let series = histories.prefix(maxPackages).compactMap { h in
                BacktestSeries.hourly(
                    key: h.key, policy: h.policy, capacityBytes: h.capacityBytes, createdAt: h.activatedAt ?? h.createdAt,
                    expiresAt: h.expiresAt, observations: h.observations, offPeak: (rules[h.key.account] ?? .bce).offPeak)
            }
            let backtest = ForecastBacktest(
                horizonHours: Double(query.horizonHours), confidence: query.confidence, warmupHours: Self.warmupHours)
            let report = await withCheckedContinuation { (c: CheckedContinuation<ForecastAccuracyReport, Never>) in
                queue.async { c.resume(returning: backtest.run(series)) }
            }
            return ForecastAccuracyResult(days: query.days, from: scoredFrom, to: now, sampled: sampled, report: report)
        }
    }
}

/// A backtest's answer as the API and the CLI show it.
package struct ForecastAccuracyResult: Sendable, Encodable {
    package var days: Int
    package var from: Date
    package var to: Date
    /// More packages had history than one backtest replays: these figures are of a sample.
    package var sampled: Bool
    package var report: ForecastAccuracyReport

    enum CodingKeys: String, CodingKey {
        case days, from, to, sampled, horizonHours, confidence, packages, overall, byAccount, byRegion, byPolicy
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(days, forKey: .days)
        try c.encode(RFC3339.format(from), forKey: .from)
        try c.encode(RFC3339.format(to), forKey: .to)
        try c.encode(sampled, forKey: .sampled)
        try c.encode(report.horizonHours, forKey: .horizonHours)
        try c.encode(report.confidence, forKey: .confidence)
        try c.encode(report.packages, forKey: .packages)
        try c.encode(Group(report.overall), forKey: .overall)
        try c.encode(report.byAccount.mapValues(Group.init), forKey: .byAccount)
        try c.encode(report.byRegion.mapValues(Group.init), forKey: .byRegion)
        try c.encode(report.byPolicy.mapValues(Group.init), forKey: .byPolicy)
    }

    /// One group's figures; shares as fractions (0.95 = 95 %), null when the group had nothing to score.
    struct Group: Encodable {
        var points: Int
        var mdape: Double?
        var coverage: Double?
        var exhaustions: Int
        var warnedAhead: Double?
        var warnings: Int
        var falseWarnings: Double?

        init(_ a: ForecastAccuracy) {
            points = a.points
            mdape = a.mdape
            coverage = a.coverage
            exhaustions = a.exhaustions
            warnedAhead = a.warnedAhead
            warnings = a.warnings
            falseWarnings = a.falseWarnings
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(points, forKey: .points)
            try c.encode(mdape, forKey: .mdape)
            try c.encode(coverage, forKey: .coverage)
            try c.encode(exhaustions, forKey: .exhaustions)
            try c.encode(warnedAhead, forKey: .warnedAhead)
            try c.encode(warnings, forKey: .warnings)
            try c.encode(falseWarnings, forKey: .falseWarnings)
        }

        enum CodingKeys: String, CodingKey { case points, mdape, coverage, exhaustions, warnedAhead, warnings, falseWarnings }
    }

    /// Plain text for the terminal: one line per group.
    package var text: String {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }
        func line(_ name: String, _ a: ForecastAccuracy) -> String {
            let cols = [name, "\(a.points)", pct(a.mdape), pct(a.coverage), "\(a.exhaustions)", pct(a.warnedAhead), "\(a.warnings)", pct(a.falseWarnings)]
            return cols.joined(separator: "\t")
        }
        var out = [
            "forecast backtest: \(days) d scored (\(RFC3339.format(from)) - \(RFC3339.format(to))), horizon \(Int(report.horizonHours)) h, "
                + "confidence \(report.confidence), \(report.packages) packages\(sampled ? " (a sample)" : "")",
            "group\tpoints\tMdAPE\tP10-P90 coverage\texhaustions\twarned >= horizon\twarnings\tfalse",
            line("all", report.overall),
        ]
        for (prefix, groups) in [("account", report.byAccount), ("region", report.byRegion), ("policy", report.byPolicy)] {
            for key in groups.keys.sorted() { out.append(line("\(prefix) \(key)", groups[key]!)) }
        }
        return out.joined(separator: "\n")
    }
}
