import Foundation

/// One package's stored history as the backtest replays it: hourly used bytes from `start` on, plus what the
/// forecast needs to know about the package. `label` groups series beyond account/region/policy (e.g. a synthetic family).
package struct BacktestSeries: Sendable {
    package var key: PackageKey
    package var policy: PackagePolicy
    package var capacityBytes: Int64
    package var createdAt: Date
    package var expiresAt: Date
    /// Instant of `usedBytes[0]`; sample i was observed at `start + i hours`.
    package var start: Date
    package var usedBytes: [Int64]
    package var label: String?
    /// The account's off-peak window (an off-peak package draws only inside it).
    package var offPeak: OffPeakWindow = .bce
    /// Sample indices whose forecasts are scored for MdAPE and coverage (nil: all); alerts are replayed over all.
    /// A synthetic family uses it to score what defines it (e.g. the day after a step).
    package var scored: Range<Int>?

    package init(
        key: PackageKey, policy: PackagePolicy, capacityBytes: Int64, createdAt: Date, expiresAt: Date, start: Date,
        usedBytes: [Int64], label: String? = nil, scored: Range<Int>? = nil
    ) {
        self.scored = scored
        self.key = key
        self.policy = policy
        self.capacityBytes = capacityBytes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.start = start
        self.usedBytes = usedBytes
        self.label = label
    }

    /// When the package actually ran out (used reached capacity), interpolated inside the hour; nil if it never did.
    package var exhaustedAt: Date? {
        guard capacityBytes > 0 else { return nil }
        for i in usedBytes.indices where usedBytes[i] >= capacityBytes {
            guard i > 0 else { return start }
            let before = Double(usedBytes[i - 1])
            let after = Double(usedBytes[i])
            let f = after > before ? (Double(capacityBytes) - before) / (after - before) : 1
            return start.addingTimeInterval((Double(i - 1) + min(max(f, 0), 1)) * 3600)
        }
        return nil
    }
}
