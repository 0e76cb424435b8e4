import Foundation

/// Turns a package's recent snapshots into a ``PackageForecast``. Pure: `now` is passed in.
///
/// Burn model:
/// - The rate comes from the observations inside the trailing `window` that ends at the package's latest
///   observation (or `now`, whichever is earlier, so a stale source still forecasts from its last day of data).
/// - A package activated inside the window contributes an implicit `(activatedAt, 0 bytes)` point, so a package
///   bought mid-window is measured from its purchase, not over the whole window.
/// - With fewer than two points in the window, the latest snapshot before the window is the baseline; failing
///   that, activation at 0 bytes (the lifetime average). With nothing at all, the burn is 0.
/// - Only increases of `usedBytes` count (a decrease is treated as a correction, not negative traffic).
/// - Off-peak packages draw only inside the account's off-peak window (Baidu: 00:00-08:00 UTC+8): their bytes are divided by the window hours of the observed
///   span, and their runway counts only window hours.
/// - A package with an `unknown` status or policy is never forecast: no burn, no exhaustion, no waste.
/// - Byte arithmetic saturates (rows may hold any `Int64`); nothing here traps on extreme values.
package enum Forecaster {
    /// The trailing window burn rates are measured over (24 h). The view and the store's baseline query use it
    /// too: the snapshots read must be the ones this window looks at.
    package static let defaultWindow: TimeInterval = 86400

    /// Forecast for one package.
    /// - Parameters:
    ///   - package: the latest normalised state (its `usedBytes` at `observedAt` is the last point).
    ///   - snapshots: history of this package in any order; older ones than the window are used only as a fallback baseline.
    ///   - window: length of the trailing window, 24 h by default.
    ///   - offPeak: the account's off-peak window (Baidu's by default).
    package static func forecast(
        package: PackageState, snapshots: [Snapshot], now: Date, window: TimeInterval = defaultWindow, offPeak: OffPeakWindow = .bce
    ) -> PackageForecast {
        guard isForecastable(package) else { return .none }
        let burn = burnBytesPerHour(package: package, snapshots: snapshots, now: now, window: window, offPeak: offPeak)
        return project(package: package, burnBytesPerHour: burn, offPeak: offPeak)
    }

    /// The average bytes per wall-clock hour (off-peak: daily average) over the trailing window.
    package static func burnBytesPerHour(
        package: PackageState, snapshots: [Snapshot], now: Date, window: TimeInterval = defaultWindow, offPeak: OffPeakWindow = .bce
    ) -> Double {
        guard let (first, last, delta) = span(package: package, snapshots: snapshots, now: now, window: window),
              delta > 0
        else { return 0 }
        let seconds = last.timeIntervalSince(first)
        guard seconds > 0 else { return 0 }
        if package.policy == .offPeak {
            let active = offPeak.windowSeconds(from: first, to: last)
            if active > 0 {
                return Double(delta) / (active / 3600) * (offPeak.length / 86400)
            }
        }
        return Double(delta) / (seconds / 3600)
    }

    /// Whether tpgw knows enough about the package to forecast it (neither its status nor its policy is `unknown`).
    package static func isForecastable(_ p: PackageState) -> Bool {
        p.status != .unknown && p.policy != .unknown
    }

    /// Projects exhaustion and waste from a burn rate, starting at the package's `observedAt`.
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
        guard burn > 0 else {
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

    /// First and last instants of the observed span and the positive bytes drawn in between.
    private static func span(
        package p: PackageState, snapshots: [Snapshot], now: Date, window: TimeInterval
    ) -> (Date, Date, Int64)? {
        let end = min(now, p.observedAt)
        let start = end.addingTimeInterval(-window)
        var points: [(t: Date, used: Int64)] = snapshots
            .filter { $0.observedAt >= start && $0.observedAt <= end }
            .map { ($0.observedAt, $0.usedBytes) }
        if p.observedAt >= start && p.observedAt <= end { points.append((p.observedAt, p.usedBytes)) }
        points.sort { $0.t < $1.t }
        points = dedupe(points)
        let activation = p.activatedAt ?? p.createdAt
        if activation >= start, let first = points.first, activation < first.t {
            points.insert((activation, 0), at: 0)
        }
        if points.count < 2 {
            if let before = snapshots.filter({ $0.observedAt < start }).max(by: { $0.observedAt < $1.observedAt }) {
                points.insert((before.observedAt, before.usedBytes), at: 0)
            } else if let first = points.first, activation < first.t {
                points.insert((activation, 0), at: 0)
            }
        }
        guard points.count >= 2, let first = points.first, let last = points.last else { return nil }
        var delta: Int64 = 0
        for i in 1..<points.count where points[i].used > points[i - 1].used {
            delta.saturatingAdd(points[i].used.saturatingSubtracting(points[i - 1].used))
        }
        return (first.t, last.t, delta)
    }

    /// Keeps one point per instant (the highest reading).
    private static func dedupe(_ sorted: [(t: Date, used: Int64)]) -> [(t: Date, used: Int64)] {
        var out: [(t: Date, used: Int64)] = []
        out.reserveCapacity(sorted.count)
        for p in sorted {
            if let last = out.last, last.t == p.t {
                out[out.count - 1].used = max(last.used, p.used)
            } else {
                out.append(p)
            }
        }
        return out
    }
}
