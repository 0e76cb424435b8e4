/// One condition of a budget, with its parameters, as in product.md's "Budget (create)".
///
/// Decoding checks the shape (known `kind`, required parameters present, no unknown fields);
/// ``validate(index:)`` checks the values.
package enum AlertRule: Sendable, Equatable {
    /// Whether a size or runway rule looks at each package or at each source's pool.
    package enum Per: String, Sendable, Codable, CaseIterable {
        case package
        case pool
    }

    /// The rule kinds, as spelled in JSON.
    package enum Kind: String, Sendable, Codable, CaseIterable {
        case usedRatio, remainingBytes, exhaustion, exhaustsBeforeExpiry, expiryWaste, coverageGap, statusChange, sourceStale
    }

    /// Used share reaches one of `thresholds` (ascending, in (0, 1]); a higher one escalates the same alert.
    case usedRatio(thresholds: [Double], per: Per = .package)
    /// Remaining bytes at or below `below`.
    case remainingBytes(below: Int64, per: Per = .package)
    /// Forecast to run out within `withinHours` (per pool: the draw-order simulation's `emptyAt`), with probability at
    /// least `1 - confidence` (confidence 0.9: the P10 runway is within the horizon); see ``ExhaustionHysteresis``.
    case exhaustion(withinHours: Double, per: Per = .package, confidence: Double = AlertRule.defaultConfidence)
    /// Forecast to run out before it expires.
    case exhaustsBeforeExpiry
    /// Expires within `withinDays` with more than `unusedBytesAbove` bytes or `unusedRatioAbove` of its capacity unused.
    /// The unused bytes compared are the `confidence` quantile of the forecast (0.9: P90, the wasteful end).
    case expiryWaste(
        withinDays: Double, unusedBytesAbove: Int64?, unusedRatioAbove: Double?, confidence: Double = AlertRule.defaultConfidence)
    /// A source with no active package, or whose pool is forecast empty within `withinHours` (0: only the former).
    /// The pool's empty instant is its `1 - confidence` quantile (0.9: the high-demand P10 scenario).
    case coverageGap(withinHours: Double, confidence: Double = AlertRule.defaultConfidence)
    /// A package became used up, expired or released.
    case statusChange
    /// A source has not been read successfully for `afterMinutes`.
    case sourceStale(afterMinutes: Double)

    /// Default `confidence` of the forecast rules: fire on the P10 runway (P90 waste).
    package static let defaultConfidence = 0.9
    /// Accepted `confidence` values.
    package static let confidenceRange: ClosedRange<Double> = 0.5...0.99

    /// The `confidence` of a forecast rule; nil for other kinds.
    package var confidence: Double? {
        switch self {
        case .exhaustion(_, _, let c), .expiryWaste(_, _, _, let c), .coverageGap(_, let c): c
        default: nil
        }
    }

    package var kind: Kind {
        switch self {
        case .usedRatio: .usedRatio
        case .remainingBytes: .remainingBytes
        case .exhaustion: .exhaustion
        case .exhaustsBeforeExpiry: .exhaustsBeforeExpiry
        case .expiryWaste: .expiryWaste
        case .coverageGap: .coverageGap
        case .statusChange: .statusChange
        case .sourceStale: .sourceStale
        }
    }
}
