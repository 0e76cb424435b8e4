import Foundation

/// Structured details of a condition, so channels can write their own (localised) text.
package struct AlertFacts: Sendable, Equatable, Codable {
    /// Exhaustion, empty-pool or last-success instant the condition is about.
    package var at: Date?
    package var expiresAt: Date?
    package var remainingBytes: Int64?
    package var capacityBytes: Int64?
    package var unusedBytes: Int64?
    package var status: PackageStatus?
    package var previousStatus: PackageStatus?
    package var activePackages: Int?

    package init(
        at: Date? = nil, expiresAt: Date? = nil, remainingBytes: Int64? = nil, capacityBytes: Int64? = nil,
        unusedBytes: Int64? = nil, status: PackageStatus? = nil, previousStatus: PackageStatus? = nil, activePackages: Int? = nil
    ) {
        self.at = at
        self.expiresAt = expiresAt
        self.remainingBytes = remainingBytes
        self.capacityBytes = capacityBytes
        self.unusedBytes = unusedBytes
        self.status = status
        self.previousStatus = previousStatus
        self.activePackages = activePackages
    }

    enum CodingKeys: String, CodingKey {
        case at, expiresAt, remainingBytes, capacityBytes, unusedBytes, status, previousStatus, activePackages
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        at = try c.decodeRFC3339IfPresent(forKey: .at)
        expiresAt = try c.decodeRFC3339IfPresent(forKey: .expiresAt)
        remainingBytes = try c.decodeIfPresent(Int64.self, forKey: .remainingBytes)
        capacityBytes = try c.decodeIfPresent(Int64.self, forKey: .capacityBytes)
        unusedBytes = try c.decodeIfPresent(Int64.self, forKey: .unusedBytes)
        status = try c.decodeIfPresent(PackageStatus.self, forKey: .status)
        previousStatus = try c.decodeIfPresent(PackageStatus.self, forKey: .previousStatus)
        activePackages = try c.decodeIfPresent(Int.self, forKey: .activePackages)
    }

    /// Omits absent facts.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if let at { try c.encodeRFC3339(at, forKey: .at) }
        if let expiresAt { try c.encodeRFC3339(expiresAt, forKey: .expiresAt) }
        try c.encodeIfPresent(remainingBytes, forKey: .remainingBytes)
        try c.encodeIfPresent(capacityBytes, forKey: .capacityBytes)
        try c.encodeIfPresent(unusedBytes, forKey: .unusedBytes)
        try c.encodeIfPresent(status, forKey: .status)
        try c.encodeIfPresent(previousStatus, forKey: .previousStatus)
        try c.encodeIfPresent(activePackages, forKey: .activePackages)
    }
}
