import Foundation

/// Projects a package's runway and waste at a flat burn rate. Pure. ``ProbabilisticForecaster`` uses it for what a
/// demand curve cannot say: a package that is no longer active, and a package with too little history (its
/// lifetime average).
///
/// - A package with an `unknown` status or policy is never forecast: no burn, no exhaustion, no waste.
/// - Off-peak packages draw only inside the account's off-peak window: `burnBytesPerHour` is their daily average
///   (window bytes spread over 24 h), and their runway counts only window hours.
/// - Byte arithmetic saturates (rows may hold any `Int64`); nothing here traps on extreme values.
package enum ForecastProjection {
    /// Whether tpgw knows enough about the package to forecast it (neither its status nor its policy is `unknown`).
    package static func isForecastable(_ p: PackageState) -> Bool {
        p.status != .unknown && p.policy != .unknown
    }

    /// Projects exhaustion and waste from a burn rate (daily average, bytes per wall-clock hour), starting at the
    /// package's `observedAt`.
    package static func project(package p: PackageState, burnBytesPerHour burn: Double, offPeak: OffPeakWindow = .bce) -> PackageForecast {
        guard isForecastable(p) else { return .none }
        let remaining = p.remainingBytes
        guard p.status == .active else {
            let unused: Int64 = p.status == .usedUp ? 0 : remaining
            return PackageForecast(burnBytesPerHour: burn, exhaustsAt: nil, exhaustsBeforeExpiry: false, unusedAtExpiryBytes: unused)
        }
        if remaining == 0 {
            return PackageForecast(
                burnBytesPerHour: burn, exhaustsAt: p.observedAt, exhaustsBeforeExpiry: p.observedAt <= p.expiresAt,
                unusedAtExpiryBytes: 0)
        }
        guard burn > 0, burn.isFinite else {
            return PackageForecast(burnBytesPerHour: 0, exhaustsAt: nil, exhaustsBeforeExpiry: false, unusedAtExpiryBytes: remaining)
        }
        let exhaustsAt: Date?
        let drawnUntilExpiry: Double
        switch p.policy {
        case .fullTime:
            let seconds = Double(remaining) / burn * 3600
            exhaustsAt = seconds < maxRunway ? p.observedAt.addingTimeInterval(seconds) : nil
            drawnUntilExpiry = burn * max(0, p.expiresAt.timeIntervalSince(p.observedAt)) / 3600
        case .unknown:
            return .none
        case .offPeak:
            let activeRate = burn * 86400 / offPeak.length
            let windowSeconds = Double(remaining) / activeRate * 3600
            exhaustsAt = windowSeconds < maxRunway ? offPeak.advance(from: p.observedAt, windowSeconds: windowSeconds) : nil
            drawnUntilExpiry = activeRate * offPeak.windowSeconds(from: p.observedAt, to: p.expiresAt) / 3600
        }
        let before = exhaustsAt.map { $0 <= p.expiresAt } ?? false
        let unused = before ? 0 : max(0, Int64(saturating: (Double(remaining) - drawnUntilExpiry).rounded()))
        return PackageForecast(burnBytesPerHour: burn, exhaustsAt: exhaustsAt, exhaustsBeforeExpiry: before, unusedAtExpiryBytes: unused)
    }

    /// Runways longer than this (about 100 years) are reported as "never".
    private static let maxRunway: TimeInterval = 100 * 365 * 86400
}
