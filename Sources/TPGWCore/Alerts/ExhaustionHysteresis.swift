import Foundation

/// How a runway rule (`exhaustion`, `coverageGap`) with a `confidence` decides, on probabilistic forecasts.
///
/// It fires when the chance of running out within `withinHours` reaches `1 - confidence` (confidence 0.9: the P10
/// runway is within the horizon, so 9 in 10 exhaustions are warned before the horizon). It resolves only when the
/// runway at half that chance (P5 for 0.9) is beyond the horizon plus 5 %: hysteresis both in time and in
/// probability, so a package hovering around the horizon neither flaps nor is missed.
package struct ExhaustionHysteresis: Sendable, Equatable {
    package var withinHours: Double
    package var confidence: Double

    package init(withinHours: Double, confidence: Double) {
        self.withinHours = withinHours
        self.confidence = confidence
    }

    /// Quantile whose runway fires the rule.
    package var fireQuantile: Double { 1 - confidence }
    /// Quantile whose runway must clear the horizon (with margin) to resolve.
    package var holdQuantile: Double { (1 - confidence) / 2 }

    /// Hours until the fire and hold quantiles run out (infinity: not before expiry or at all).
    package func runways(_ f: PackageForecast, expiresAt: Date?, now: Date) -> (fire: Double, hold: Double) {
        // A plain forecast has only its median and says itself whether that comes before expiry.
        if f.basis == nil, !f.exhaustsBeforeExpiry { return (.infinity, .infinity) }
        func hours(_ q: Double) -> Double {
            guard let at = f.exhaustsAt(quantile: q, now: now) else { return .infinity }
            if let expiresAt, at > expiresAt { return .infinity }
            return at.timeIntervalSince(now) / 3600
        }
        return (hours(fireQuantile), hours(holdQuantile))
    }

    package func breaches(_ r: (fire: Double, hold: Double)) -> Bool { r.fire <= withinHours }
    package func holds(_ r: (fire: Double, hold: Double)) -> Bool { r.hold <= withinHours * 1.05 }
}
