import Foundation

/// Accuracy of the forecasts a backtest made for one group of packages.
///
/// - `mdape`: median of |forecast - true| / true time-to-exhaustion over every (package, hour) whose true runway was
///   within the evaluation window (7 days); a forecast of "never" counts as 100 %.
/// - `coverage`: share of those points whose true exhaustion lay between P10 and P90.
/// - `warnedAhead`: share of exhaustions whose alert (fired on the runway quantile of the confidence) was firing
///   `horizon` before the exhaustion.
/// - `falseWarnings`: share of alert firings whose true runway at firing was above 1.5 x horizon (or that never ran out).
package struct ForecastAccuracy: Sendable, Equatable, Codable {
    package var points: Int
    package var mdape: Double?
    package var coverage: Double?
    package var exhaustions: Int
    package var warnedAhead: Double?
    package var warnings: Int
    package var falseWarnings: Double?

    package init(points: Int, mdape: Double?, coverage: Double?, exhaustions: Int, warnedAhead: Double?, warnings: Int, falseWarnings: Double?) {
        self.points = points
        self.mdape = mdape
        self.coverage = coverage
        self.exhaustions = exhaustions
        self.warnedAhead = warnedAhead
        self.warnings = warnings
        self.falseWarnings = falseWarnings
    }
}

/// The backtest's answer: overall and grouped by account, region, policy and label.
package struct ForecastAccuracyReport: Sendable, Equatable, Codable {
    package var horizonHours: Double
    package var confidence: Double
    package var packages: Int
    package var overall: ForecastAccuracy
    package var byAccount: [String: ForecastAccuracy]
    package var byRegion: [String: ForecastAccuracy]
    package var byPolicy: [String: ForecastAccuracy]
    package var byLabel: [String: ForecastAccuracy]
}

/// Running tallies of one group, turned into a ``ForecastAccuracy`` at the end.
struct AccuracyTally {
    var apes: [Float] = []
    var covered = 0
    var exhaustions = 0
    var warnedAhead = 0
    var warnings = 0
    var falseWarnings = 0

    mutating func merge(_ o: AccuracyTally) {
        apes += o.apes
        covered += o.covered
        exhaustions += o.exhaustions
        warnedAhead += o.warnedAhead
        warnings += o.warnings
        falseWarnings += o.falseWarnings
    }

    var accuracy: ForecastAccuracy {
        var sorted = apes
        sorted.sort()
        let median: Double? = sorted.isEmpty
            ? nil
            : sorted.count % 2 == 1
                ? Double(sorted[sorted.count / 2])
                : (Double(sorted[sorted.count / 2 - 1]) + Double(sorted[sorted.count / 2])) / 2
        return ForecastAccuracy(
            points: apes.count, mdape: median, coverage: apes.isEmpty ? nil : Double(covered) / Double(apes.count),
            exhaustions: exhaustions, warnedAhead: exhaustions == 0 ? nil : Double(warnedAhead) / Double(exhaustions),
            warnings: warnings, falseWarnings: warnings == 0 ? nil : Double(falseWarnings) / Double(warnings))
    }
}
