import Foundation
import TPGWCore

/// One shared traffic package as `DescribeTrafficPackages` returns it, validated, amounts in bytes
/// (GB × 1024³, rounded), with its raw JSON object kept for audit.
package struct TencentPackage: Sendable, Equatable {
    package var id: String
    /// `TrafficPackageName` (`未命名` when the user gave none).
    package var name: String
    package var status: TencentPackageStatus
    package var deductType: TencentDeductType
    /// `TotalAmount` in bytes.
    package var totalBytes: Int64
    /// `UsedAmount` in bytes, decoded on its own (never derived from the other two).
    package var usedBytes: Int64
    /// `RemainingAmount` in bytes, when sent.
    package var remainingBytes: Int64?
    /// `CreatedTime`, taken as the start of validity (there is no activation time).
    package var createdAt: Date
    /// `Deadline`: the last second of validity (inclusive).
    package var deadline: Date
    package var tags: [TencentTag]
    /// The package's JSON object exactly as received.
    package var raw: [UInt8]

    package init(
        id: String, name: String = "", status: TencentPackageStatus, deductType: TencentDeductType, totalBytes: Int64, usedBytes: Int64,
        remainingBytes: Int64? = nil, createdAt: Date, deadline: Date, tags: [TencentTag] = [], raw: [UInt8] = []
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.deductType = deductType
        self.totalBytes = totalBytes
        self.usedBytes = usedBytes
        self.remainingBytes = remainingBytes
        self.createdAt = createdAt
        self.deadline = deadline
        self.tags = tags
        self.raw = raw
    }

    /// The first instant the package is no longer valid: `Deadline` + 1 s (`Deadline` itself is still valid).
    package var expiresAt: Date { deadline.addingTimeInterval(1) }

    /// The normalised state: `REFUNDED` and `DELETED` are states of their own, an unknown status or `DeductType`
    /// is `unknown` (listed, counted, never forecast).
    package func state(source: SourceID, observedAt: Date) -> PackageState {
        let status = status.packageStatus ?? .unknown
        let policy = deductType.policy ?? .unknown
        return PackageState(
            key: PackageKey(provider: source.provider, account: source.account, region: source.region, id: id),
            policy: policy, lineType: "PublicTraffic", status: status, capacityBytes: totalBytes, usedBytes: usedBytes,
            createdAt: createdAt, activatedAt: createdAt, expiresAt: expiresAt, observedAt: observedAt)
    }
}
