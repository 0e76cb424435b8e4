import Foundation

/// A pool's traffic, in bytes per hour, outside and inside the off-peak window.
///
/// Model: traffic is drawn from the pool, not chosen per package, so the pool's demand is what all of its
/// packages burned together. Estimated from per-package observed burn (``PackageForecast/burnBytesPerHour``,
/// daily averages):
/// - Off-peak packages burn only in the window's hours (8 for Baidu's 00:00-08:00 UTC+8; each account's configured
///   window otherwise), so their summed burn is window traffic: `x 24/8` for Baidu's window.
/// - Full-time packages carry all traffic outside the window. When the pool also held active off-peak packages,
///   those took the window traffic first, so full-time burn happened in the other hours: `x 24/16` for Baidu's.
///   Without off-peak packages, full-time burn covered all 24 hours: day and window demand are both that rate.
///
/// Limits: traffic already billed pay-as-you-go is invisible (no package recorded it), so a pool that is
/// empty during the day shows no day demand; an off-peak package that ran out mid-window shifted part of the
/// window traffic onto full-time packages, which this estimate counts as day traffic; demand is assumed flat
/// within each part of the day (no weekly or diurnal shape beyond the window split).
package struct PoolDemand: Sendable, Equatable, Codable {
    /// Bytes per hour outside the off-peak window (only full-time packages may serve it).
    package var dayBytesPerHour: Double
    /// Bytes per hour inside the off-peak window (off-peak packages first, then full-time).
    package var windowBytesPerHour: Double

    package init(dayBytesPerHour: Double, windowBytesPerHour: Double) {
        self.dayBytesPerHour = dayBytesPerHour
        self.windowBytesPerHour = windowBytesPerHour
    }

    /// Flat demand, the same every hour.
    package static func flat(_ bytesPerHour: Double) -> PoolDemand {
        PoolDemand(dayBytesPerHour: bytesPerHour, windowBytesPerHour: bytesPerHour)
    }

    /// The average over a whole day whose off-peak window is `window` (its length, not Baidu's 8 hours, weighs
    /// the two rates).
    package func averageBytesPerHour(window: OffPeakWindow) -> Double {
        let windowShare = min(max(window.length / 86400, 0), 1)
        return dayBytesPerHour * (1 - windowShare) + windowBytesPerHour * windowShare
    }

    /// Both parts scaled by `factor` (a demand scenario).
    package func scaled(by factor: Double) -> PoolDemand {
        PoolDemand(dayBytesPerHour: dayBytesPerHour * factor, windowBytesPerHour: windowBytesPerHour * factor)
    }

    /// Estimates demand from the packages that burned during the window (see the type's model).
    /// - Parameters:
    ///   - packages: the pool's packages, including ones that ran out or expired recently (their traffic
    ///     did not disappear with them); a package without a forecast counts as 0.
    ///   - forecasts: per-package forecasts.
    package static func estimate(
        packages: [PackageState], forecasts: [PackageKey: PackageForecast], window: OffPeakWindow = .bce
    ) -> PoolDemand {
        estimate(packages: packages, window: window, burnAt: { forecasts[packages[$0].key]?.burnBytesPerHour ?? 0 })
    }

    /// The same, with forecasts aligned with `packages` by index (no key hashing).
    package static func estimate(
        packages: [PackageState], alignedForecasts: [PackageForecast], window: OffPeakWindow = .bce
    ) -> PoolDemand {
        estimate(packages: packages, window: window, burnAt: { alignedForecasts[$0].burnBytesPerHour })
    }

    private static func estimate(packages: [PackageState], window: OffPeakWindow, burnAt: (Int) -> Double) -> PoolDemand {
        var offPeak = 0.0
        var fullTime = 0.0
        var hasOffPeak = false
        for (i, p) in packages.enumerated() {
            let burn = max(0, burnAt(i))
            switch p.policy {
            case .offPeak:
                offPeak += burn
                if p.status == .active || burn > 0 { hasOffPeak = true }
            case .fullTime:
                fullTime += burn
            case .unknown:
                break  // how it is drawn is not known: it is not forecast, so it has no burn to count
            }
        }
        let windowShare = 86400 / window.length
        let dayShare = 86400 / (86400 - window.length)
        if hasOffPeak {
            return PoolDemand(dayBytesPerHour: fullTime * dayShare, windowBytesPerHour: offPeak * windowShare)
        }
        return .flat(fullTime)
    }
}
