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
    /// Forecast to run out within `withinHours` (per pool: the draw-order simulation's `emptyAt`).
    case exhaustion(withinHours: Double, per: Per = .package)
    /// Forecast to run out before it expires.
    case exhaustsBeforeExpiry
    /// Expires within `withinDays` with more than `unusedBytesAbove` bytes or `unusedRatioAbove` of its capacity unused.
    case expiryWaste(withinDays: Double, unusedBytesAbove: Int64?, unusedRatioAbove: Double?)
    /// A source with no active package, or whose pool is forecast empty within `withinHours` (0: only the former).
    case coverageGap(withinHours: Double)
    /// A package became used up, expired or released.
    case statusChange
    /// A source has not been read successfully for `afterMinutes`.
    case sourceStale(afterMinutes: Double)

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
