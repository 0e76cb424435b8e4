import Foundation

/// When a package's previous forecast may stand for a new one without running the forecaster (most polls of a view
/// rebuild): the features did not close an hour since it was made (same level, profile, noise, trend: the same
/// demand curve from the same hour), nothing but the used bytes and the observation time moved, and the remaining
/// bytes are within ``maxRemainingShare`` of those the forecast was made from. Pure.
///
/// What that costs in accuracy: the reused forecast is exactly the forecast of a package with a remaining within
/// 0.5 % of the real one, observed earlier in the same hour. Identical inputs always reuse (exact). The stamp keeps the
/// remaining the forecast was *made* from, so reuse never drifts further than the bound over a chain of polls.
package struct ForecastStamp: Sendable, Equatable {
    /// The features' open hour when the forecast was made (``none``: made without features, never reused).
    package var hour: Int64
    /// Remaining bytes the forecast was made from.
    package var remaining: Int64

    package static let none = ForecastStamp(hour: .min, remaining: 0)

    package init(hour: Int64, remaining: Int64) {
        self.hour = hour
        self.remaining = remaining
    }

    /// The stamp of a forecast made now for `p` from features `f` (nil: none).
    package init(package p: PackageState, features f: ForecastFeatures?) {
        if let f, f.lastObservedAt != nil, p.status == .active { self.init(hour: f.openHour, remaining: p.remainingBytes) } else { self = .none }
    }
}

package enum ForecastReuse {
    /// Largest move of the remaining bytes, as a share of those the forecast was made from, for which it is reused.
    package static let maxRemainingShare = 0.005

    /// Whether the forecast stamped `stamp`, made for a package last seen as `old`, stands for `new` with features `f`.
    package static func admits(stamp: ForecastStamp, old: PackageState, new: PackageState, features f: ForecastFeatures) -> Bool {
        guard stamp.hour != .min, stamp.hour == f.openHour, new.status == .active, old.status == .active else { return false }
        guard new.observedAt >= old.observedAt, BeijingHour.index(new.observedAt.timeIntervalSince1970) == stamp.hour else { return false }
        guard new.key == old.key, new.policy == old.policy, new.capacityBytes == old.capacityBytes, new.expiresAt == old.expiresAt,
              new.createdAt == old.createdAt, new.activatedAt == old.activatedAt else { return false }
        let r = new.remainingBytes
        if r == stamp.remaining { return true }
        guard r > 0, stamp.remaining > 0 else { return false }
        let moved = Double(r) - Double(stamp.remaining)
        return abs(moved) <= maxRemainingShare * Double(stamp.remaining)
    }
}
