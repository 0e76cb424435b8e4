import Foundation

/// What one package's recent burn says about its future.
package struct PackageForecast: Sendable, Equatable, Codable {
    /// Average bytes drawn per wall-clock hour over the trailing window. For an off-peak package this is the
    /// daily average (its burn during the 8 window hours spread over 24), so rates of both kinds add up.
    package var burnBytesPerHour: Double
    /// When the remaining bytes run out at that rate; nil when nothing burns or the package is no longer active.
    /// May lie after `expiresAt` (then `exhaustsBeforeExpiry` is false).
    package var exhaustsAt: Date?
    /// Whether `exhaustsAt` comes no later than the package's expiry.
    package var exhaustsBeforeExpiry: Bool
    /// Bytes expected to be left (and lost) at expiry; 0 when it exhausts first.
    package var unusedAtExpiryBytes: Int64

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
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        burnBytesPerHour = try c.decode(Double.self, forKey: .burnBytesPerHour)
        exhaustsAt = try c.decodeRFC3339IfPresent(forKey: .exhaustsAt)
        exhaustsBeforeExpiry = try c.decode(Bool.self, forKey: .exhaustsBeforeExpiry)
        unusedAtExpiryBytes = try c.decode(Int64.self, forKey: .unusedAtExpiryBytes)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(burnBytesPerHour, forKey: .burnBytesPerHour)
        try c.encodeRFC3339(exhaustsAt, forKey: .exhaustsAt)
        try c.encode(exhaustsBeforeExpiry, forKey: .exhaustsBeforeExpiry)
        try c.encode(unusedAtExpiryBytes, forKey: .unusedAtExpiryBytes)
    }
}
