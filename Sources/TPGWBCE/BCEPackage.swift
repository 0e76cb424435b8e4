import Foundation
import TPGWCore

/// One shared traffic package as BCE returns it, validated, with its raw JSON object bytes kept for audit.
package struct BCEPackage: Sendable, Equatable {
    package var id: String
    package var deductPolicy: PackagePolicy
    package var packageType: String
    package var status: PackageStatus
    package var capacity: Int64
    package var usedCapacity: Int64
    package var createTime: Date
    package var activeTime: Date?
    package var expireTime: Date
    /// The package's JSON object exactly as received.
    package var raw: [UInt8]

    package init(
        id: String, deductPolicy: PackagePolicy, packageType: String = "WebOutBytes", status: PackageStatus, capacity: Int64,
        usedCapacity: Int64, createTime: Date, activeTime: Date?, expireTime: Date, raw: [UInt8] = []
    ) {
        self.id = id
        self.deductPolicy = deductPolicy
        self.packageType = packageType
        self.status = status
        self.capacity = capacity
        self.usedCapacity = usedCapacity
        self.createTime = createTime
        self.activeTime = activeTime
        self.expireTime = expireTime
        self.raw = raw
    }

    /// The normalised, provider-neutral state of this package as observed from `source` at `observedAt`.
    package func state(source: SourceID, observedAt: Date) -> PackageState {
        PackageState(
            key: PackageKey(provider: source.provider, account: source.account, region: source.region, id: id),
            policy: deductPolicy, lineType: packageType, status: status, capacityBytes: capacity, usedBytes: usedCapacity,
            createdAt: createTime, activatedAt: activeTime, expiresAt: expireTime, observedAt: observedAt)
    }
}
