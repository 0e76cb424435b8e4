import Foundation

/// Any quantile of a runway known by its P10, P50 and P90: log runway from `now` is taken as normal, so a quantile
/// is interpolated (or extrapolated) linearly in z on the side it lies on.
package enum RunwayQuantiles {
    /// The instant by which the runway has ended with probability `q`; nil when that quantile does not end.
    package static func at(quantile q: Double, p10: Date?, p50: Date?, p90: Date?, now: Date) -> Date? {
        let z = NormalQuantile.z(q)
        // The stored quantiles themselves, exactly.
        if abs(z + NormalQuantile.z90) < 1e-6 { return p10 }
        if abs(z - NormalQuantile.z90) < 1e-6 { return p90 }
        guard let p50 else {
            // The median never ends: only the early side may (P10 and anything earlier).
            guard z < 0, let p10 else { return nil }
            return z <= -NormalQuantile.z90 ? scaled(p10, z: z, reference: nil, now: now) : nil
        }
        guard abs(z) > 1e-9 else { return p50 }
        let other: Date? = z < 0 ? p10 : p90
        guard let other else { return z < 0 ? p50 : nil }
        return scaled(other, z: z, reference: p50, now: now)
    }

    private static func scaled(_ other: Date, z: Double, reference: Date?, now: Date) -> Date {
        let rOther = max(other.timeIntervalSince(now), 60)
        guard let reference else { return now.addingTimeInterval(rOther) }
        let r50 = max(reference.timeIntervalSince(now), 60)
        let slope = (log(rOther) - log(r50)) / (z < 0 ? -NormalQuantile.z90 : NormalQuantile.z90)
        let r = exp(log(r50) + slope * z)
        return now.addingTimeInterval(r.isFinite ? min(r, 1e10) : 1e10)
    }
}
