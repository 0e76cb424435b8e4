/// Threshold levels of a rule and the margin a value must retreat by before a level clears.
///
/// `above`: a level is breached when `value >= threshold` and cleared when `value < threshold - margin`.
/// `below`: breached when `value <= threshold`, cleared when `value > threshold + margin`.
/// Thresholds are ordered by severity (ascending for `above`, descending for `below`), so a higher
/// level index is always worse.
package struct Hysteresis: Sendable, Equatable {
    package enum Direction: Sendable, Equatable { case above, below }
    package enum Margin: Sendable, Equatable {
        /// A fixed amount, e.g. 0.02 for ratios.
        case absolute(Double)
        /// A share of the threshold, e.g. 0.05 for bytes, hours and minutes.
        case relative(Double)
    }

    package var thresholds: [Double]
    package var direction: Direction
    package var margin: Margin

    package init(thresholds: [Double], direction: Direction, margin: Margin) {
        self.thresholds = thresholds
        self.direction = direction
        self.margin = margin
    }

    /// Ratios: fall back by 0.02 (two percentage points) before resolving.
    package static func ratio(_ thresholds: [Double]) -> Hysteresis {
        Hysteresis(thresholds: thresholds, direction: .above, margin: .absolute(0.02))
    }

    /// Quantities (bytes, hours, minutes): retreat by 5 % of the threshold before resolving.
    package static func quantity(_ threshold: Double, _ direction: Direction) -> Hysteresis {
        Hysteresis(thresholds: [threshold], direction: direction, margin: .relative(0.05))
    }

    /// A yes/no condition: value 1 breaches, anything else clears.
    package static let flag = Hysteresis(thresholds: [1], direction: .above, margin: .absolute(0))

    /// The highest breached level, or nil.
    package func breachedLevel(_ value: Double) -> Int? {
        thresholds.indices.last { breached(value, thresholds[$0]) }
    }

    /// The highest level not yet cleared by `value` (a firing alert at or above it keeps that level), or nil
    /// when even the lowest level is cleared.
    package func heldLevel(_ value: Double) -> Int? {
        thresholds.indices.last { !cleared(value, thresholds[$0]) }
    }

    /// Whether a condition could come of `value` (or of `hold`, the value a firing alert is held by): the cheap
    /// test before one is built. Breaching implies not cleared, so this is "some level is not cleared".
    package func mayHold(_ value: Double, hold: Double? = nil) -> Bool {
        heldLevel(value) != nil || hold.map { heldLevel($0) != nil } == true
    }

    private func breached(_ v: Double, _ t: Double) -> Bool {
        direction == .above ? v >= t : v <= t
    }

    private func cleared(_ v: Double, _ t: Double) -> Bool {
        let m: Double
        switch margin {
        case .absolute(let a): m = a
        case .relative(let r): m = abs(t) * r
        }
        return direction == .above ? v < t - m : v > t + m
    }
}
