import Foundation

/// One observation of a package's usage.
package struct Snapshot: Sendable, Equatable, Codable {
    package var observedAt: Date
    package var usedBytes: Int64
    package var capacityBytes: Int64
    package var status: PackageStatus

    package init(observedAt: Date, usedBytes: Int64, capacityBytes: Int64, status: PackageStatus) {
        self.observedAt = observedAt
        self.usedBytes = usedBytes
        self.capacityBytes = capacityBytes
        self.status = status
    }
}
