import Foundation

/// What one package's recent burn says about its future.
package struct PackageForecast: Sendable, Equatable, Codable {
    /// Median bytes drawn per wall-clock hour over the next 24 hours (the lifetime average with little history). For
    /// an off-peak package this is the daily average (its burn inside its account's window spread over 24 h), so
    /// rates of both kinds add up.
    package var burnBytesPerHour: Double
    /// When the remaining bytes run out at that rate; nil when nothing burns or the package is no longer active.
    /// May lie after `expiresAt` (then `exhaustsBeforeExpiry` is false).
    package var exhaustsAt: Date?
    /// Whether `exhaustsAt` comes no later than the package's expiry.
    package var exhaustsBeforeExpiry: Bool
    /// Bytes expected to be left (and lost) at expiry; 0 when it exhausts first.
    package var unusedAtExpiryBytes: Int64
    /// 10 % chance the package has run out by then (the early end of the runway); nil when not forecast
    /// probabilistically or it does not run out within the horizon.
    package var exhaustsAtP10: Date?
    /// 90 % chance the package has run out by then; nil also when the slow scenario never runs out.
    package var exhaustsAtP90: Date?
    /// Unused bytes at expiry: 10 % chance of fewer (high-demand scenario) and 90 % chance of fewer. The median is
    /// ``unusedAtExpiryBytes``.
    package var unusedAtExpiryBytesP10: Int64?
    package var unusedAtExpiryBytesP90: Int64?
    /// What the probabilistic forecast rests on; nil for the plain trailing-window forecast.
    package var basis: ForecastBasis?
    /// Log-scale spread (one sigma) of the demand over the next 3 days; what pools combine into their quantiles.
    /// Not part of the JSON.
    package var demandSigma: Double = 0
    /// The runway's early quantiles (P0.5-P5) that rules with a confidence fire and resolve on, from the same demand
    /// curve as P10; nil for a plain or lifetime-average forecast (then extrapolated from P10 and P50). Not part of
    /// the JSON.
    package var tail: RunwayTail?

    /// No forecast: nothing burns, runs out or is wasted (a package tpgw does not know how to forecast).
    package static let none = PackageForecast(burnBytesPerHour: 0, exhaustsAt: nil, exhaustsBeforeExpiry: false, unusedAtExpiryBytes: 0)

    package init(burnBytesPerHour: Double, exhaustsAt: Date?, exhaustsBeforeExpiry: Bool, unusedAtExpiryBytes: Int64) {
        self.burnBytesPerHour = burnBytesPerHour
        self.exhaustsAt = exhaustsAt
        self.exhaustsBeforeExpiry = exhaustsBeforeExpiry
        self.unusedAtExpiryBytes = unusedAtExpiryBytes
    }

    enum CodingKeys: String, CodingKey {
        case burnBytesPerHour, exhaustsAt, exhaustsBeforeExpiry, unusedAtExpiryBytes
        case exhaustsAtP10, exhaustsAtP90, unusedAtExpiryBytesP10, unusedAtExpiryBytesP90, basis
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        burnBytesPerHour = try c.decode(Double.self, forKey: .burnBytesPerHour)
        exhaustsAt = try c.decodeRFC3339IfPresent(forKey: .exhaustsAt)
        exhaustsBeforeExpiry = try c.decode(Bool.self, forKey: .exhaustsBeforeExpiry)
        unusedAtExpiryBytes = try c.decode(Int64.self, forKey: .unusedAtExpiryBytes)
        exhaustsAtP10 = try c.decodeRFC3339IfPresent(forKey: .exhaustsAtP10)
        exhaustsAtP90 = try c.decodeRFC3339IfPresent(forKey: .exhaustsAtP90)
        unusedAtExpiryBytesP10 = try c.decodeIfPresent(Int64.self, forKey: .unusedAtExpiryBytesP10)
        unusedAtExpiryBytesP90 = try c.decodeIfPresent(Int64.self, forKey: .unusedAtExpiryBytesP90)
        basis = try c.decodeIfPresent(ForecastBasis.self, forKey: .basis)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(burnBytesPerHour, forKey: .burnBytesPerHour)
        try c.encodeRFC3339(exhaustsAt, forKey: .exhaustsAt)
        try c.encode(exhaustsBeforeExpiry, forKey: .exhaustsBeforeExpiry)
        try c.encode(unusedAtExpiryBytes, forKey: .unusedAtExpiryBytes)
        // The quantiles travel with their basis: a plain forecast keeps its four fields.
        if let basis {
            try c.encodeRFC3339(exhaustsAtP10, forKey: .exhaustsAtP10)
            try c.encodeRFC3339(exhaustsAtP90, forKey: .exhaustsAtP90)
            try c.encode(unusedAtExpiryBytesP10 ?? unusedAtExpiryBytes, forKey: .unusedAtExpiryBytesP10)
            try c.encode(unusedAtExpiryBytesP90 ?? unusedAtExpiryBytes, forKey: .unusedAtExpiryBytesP90)
            try c.encode(basis, forKey: .basis)
        }
    }

    /// The instant by which the package has run out with probability `q` (0.1 = ``exhaustsAtP10``): exact at the
    /// quantiles held (``tail``, P10, P50, P90), interpolated on log runway from `now` between them (see
    /// ``RunwayQuantiles``); nil when that quantile does not run out. Without quantiles, the median for every q.
    package func exhaustsAt(quantile q: Double, now: Date) -> Date? {
        guard basis != nil else { return exhaustsAt }
        return RunwayQuantiles.at(quantile: q, p10: exhaustsAtP10, p50: exhaustsAt, p90: exhaustsAtP90, tail: tail, now: now)
    }

    /// Unused bytes at expiry with probability `q` of fewer (0.9 = ``unusedAtExpiryBytesP90``), interpolated
    /// linearly in z between the three quantiles and clamped at 0.
    package func unusedAtExpiryBytes(quantile q: Double) -> Int64 {
        guard basis != nil, let p10 = unusedAtExpiryBytesP10, let p90 = unusedAtExpiryBytesP90 else { return unusedAtExpiryBytes }
        let z = NormalQuantile.z(q)
        let other = Double(z < 0 ? p10 : p90)
        let mid = Double(unusedAtExpiryBytes)
        let v = mid + (other - mid) * abs(z) / NormalQuantile.z90
        return max(0, Int64(saturating: v.rounded()))
    }
}
