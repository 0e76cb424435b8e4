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
    ///
    /// A meter stops at the capacity, so the sample that reaches it usually reads exactly the capacity: the hour's
    /// draw is then unknown (only "at least what was left"), and interpolating to that sample would put every
    /// exhaustion at the end of its hour (half an hour late on average). The hour is then taken to draw what the
    /// hour before drew (when that is more than what was left). Only when the meter stopped there: a later sample
    /// past the capacity shows it was not clamped, so the one equal to it is the exact instant (an off-peak workload
    /// that ran out at the end of its window and drew nothing until the next).
    package var exhaustedAt: Date? {
        guard capacityBytes > 0 else { return nil }
        for i in usedBytes.indices where usedBytes[i] >= capacityBytes {
            guard i > 0 else { return start }
            let before = Double(usedBytes[i - 1])
            var after = Double(usedBytes[i])
            let clamped = usedBytes[i] == capacityBytes && !usedBytes[(i + 1)...].contains { $0 > capacityBytes }
            if clamped, i >= 2, usedBytes[i - 1] >= usedBytes[i - 2] {
                after = max(after, before + Double(usedBytes[i - 1]) - Double(usedBytes[i - 2]))
            }
            let f = after > before ? (Double(capacityBytes) - before) / (after - before) : 1
            return start.addingTimeInterval((Double(i - 1) + min(max(f, 0), 1)) * 3600)
        }
        return nil
    }
}

extension BacktestSeries {
    /// A series on the hourly grid from irregular observations (stored snapshots, hourly rollups): one sample at
    /// every whole hour from the first observation to the last, linear between the observations around it. Nil with
    /// fewer than two hours covered.
    package static func hourly(
        key: PackageKey, policy: PackagePolicy, capacityBytes: Int64, createdAt: Date, expiresAt: Date,
        observations unsorted: [(at: Date, usedBytes: Int64)], offPeak: OffPeakWindow = .bce, label: String? = nil
    ) -> BacktestSeries? {
        let points = unsorted.filter { $0.at.timeIntervalSince1970.isFinite }.sorted { $0.at < $1.at }
        guard let first = points.first, let last = points.last else { return nil }
        let startHour = (first.at.timeIntervalSince1970 / 3600).rounded(.up)
        let endHour = (last.at.timeIntervalSince1970 / 3600).rounded(.down)
        guard endHour - startHour >= 1, endHour - startHour < 24 * 400 else { return nil }
        var used: [Int64] = []
        used.reserveCapacity(Int(endHour - startHour) + 1)
        var j = 0
        var h = startHour
        while h <= endHour {
            let t = h * 3600
            while j + 1 < points.count, points[j + 1].at.timeIntervalSince1970 <= t { j += 1 }
            let a = points[j]
            if j + 1 < points.count, a.at.timeIntervalSince1970 < t {
                let b = points[j + 1]
                let span = b.at.timeIntervalSince(a.at)
                let f = span > 0 ? (t - a.at.timeIntervalSince1970) / span : 0
                let v = Double(a.usedBytes) + (Double(b.usedBytes) - Double(a.usedBytes)) * f
                used.append(Int64(saturating: v.rounded()))
            } else {
                used.append(a.usedBytes)
            }
            h += 1
        }
        var series = BacktestSeries(
            key: key, policy: policy, capacityBytes: capacityBytes, createdAt: createdAt, expiresAt: expiresAt,
            start: Date(timeIntervalSince1970: startHour * 3600), usedBytes: used, label: label)
        series.offPeak = offPeak
        return series
    }
}
