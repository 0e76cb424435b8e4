import Foundation

/// Any quantile of a runway known at a few quantiles (knots): the log runway from `now` is interpolated linearly in z
/// between the two knots around the quantile asked for, and extrapolated from the nearest two beyond them.
///
/// A forecast carries P10, P50 and P90 and, for the rules' early quantiles, the exact P0.5, P1, P2.5 and P5
/// (``RunwayTail``). Extrapolating those from P10 and P50 took the runway as log-normal, which it is not: an off-peak
/// package runs out in one night's window or the next (the runway jumps by a day), and a weekend's quiet hours bend
/// it. A rule at confidence 0.99 fired on that guess (Forecast accuracy run 8).
package enum RunwayQuantiles {
    /// The instant by which the runway has ended with probability `q`; nil when that quantile does not end.
    package static func at(quantile q: Double, p10: Date?, p50: Date?, p90: Date?, tail: RunwayTail? = nil, now: Date) -> Date? {
        let z = NormalQuantile.z(q)
        var knots: [(z: Double, at: Date?)] = []
        knots.reserveCapacity(7)
        if let tail {
            for (tz, at) in zip(RunwayTail.z, [tail.p005, tail.p01, tail.p025, tail.p05]) { knots.append((tz, at)) }
        }
        knots += [(-NormalQuantile.z90, p10), (0, p50), (NormalQuantile.z90, p90)]
        return at(z: z, knots: knots, now: now)
    }

    /// `knots` ascending in z (a later runway for a larger z); nil marks a quantile that does not end.
    static func at(z: Double, knots: [(z: Double, at: Date?)], now: Date) -> Date? {
        // A knot itself, exactly.
        if let k = knots.first(where: { abs($0.z - z) < 1e-6 }) { return k.at }
        // Above the last quantile that ends, and a later one that does not: this one does not end either.
        guard let lastKnown = knots.lastIndex(where: { $0.at != nil }) else { return nil }
        if z > knots[lastKnown].z {
            if lastKnown < knots.count - 1 { return nil }
            return scaled(z: z, knots[lastKnown - (lastKnown > 0 && knots[lastKnown - 1].at != nil ? 1 : 0)], knots[lastKnown], now: now)
        }
        // Between two knots that end, or below the first that ends.
        let known = knots.filter { $0.at != nil }
        guard let upper = known.firstIndex(where: { $0.z > z }) else { return nil }
        if upper == 0 {
            return known.count > 1 ? scaled(z: z, known[0], known[1], now: now) : known[0].at
        }
        return scaled(z: z, known[upper - 1], known[upper], now: now)
    }

    /// Log runway through two knots (a, b) at z; a single point when they coincide in z.
    private static func scaled(z: Double, _ a: (z: Double, at: Date?), _ b: (z: Double, at: Date?), now: Date) -> Date? {
        guard let atA = a.at, let atB = b.at else { return a.at ?? b.at }
        let ra = log(max(atA.timeIntervalSince(now), 60)), rb = log(max(atB.timeIntervalSince(now), 60))
        guard b.z != a.z else { return atA }
        let r = exp(ra + (rb - ra) * (z - a.z) / (b.z - a.z))
        return now.addingTimeInterval(r.isFinite ? min(r, 1e10) : 1e10)
    }
}

/// The early quantiles of a runway that rules fire and resolve on (confidence 0.5-0.99: fire on 1 - confidence, hold
/// on half of it), computed from the forecast's demand curve like P10: the instant by which the package has run out
/// with probability 0.5 %, 1 %, 2.5 % and 5 %; nil when that scenario does not run out within the horizon. Not part
/// of the JSON (a rule reads it from the view).
package struct RunwayTail: Sendable, Equatable {
    /// The quantiles held, ascending.
    package static let quantiles = [0.005, 0.01, 0.025, 0.05]
    /// Their normal z (negative: the early side).
    static let z = quantiles.map(NormalQuantile.z)

    package var p005: Date?
    package var p01: Date?
    package var p025: Date?
    package var p05: Date?

    package init(p005: Date?, p01: Date?, p025: Date?, p05: Date?) {
        self.p005 = p005
        self.p01 = p01
        self.p025 = p025
        self.p05 = p05
    }
}
