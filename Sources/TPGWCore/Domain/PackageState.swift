import Foundation

/// The normalised state of one package as last observed upstream.
package struct PackageState: Sendable, Equatable, Codable {
    package var key: PackageKey
    package var policy: PackagePolicy
    package var lineType: String
    package var status: PackageStatus
    package var capacityBytes: Int64
    package var usedBytes: Int64
    package var createdAt: Date
    package var activatedAt: Date?
    package var expiresAt: Date
    package var observedAt: Date

    package init(
        key: PackageKey, policy: PackagePolicy, lineType: String = "WebOutBytes", status: PackageStatus,
        capacityBytes: Int64, usedBytes: Int64, createdAt: Date, activatedAt: Date?, expiresAt: Date, observedAt: Date
    ) {
        self.key = key
        self.policy = policy
        self.lineType = lineType
        self.status = status
        self.capacityBytes = capacityBytes
        self.usedBytes = usedBytes
        self.createdAt = createdAt
        self.activatedAt = activatedAt
        self.expiresAt = expiresAt
        self.observedAt = observedAt
    }

    /// Capacity minus used, at least 0 (saturating: stored rows may hold any `Int64`).
    package var remainingBytes: Int64 { max(0, capacityBytes.saturatingSubtracting(usedBytes)) }
    package var usedRatio: Double { capacityBytes > 0 ? min(1, Double(usedBytes) / Double(capacityBytes)) : 0 }
}
