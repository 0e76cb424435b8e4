import Foundation
import TPGWCore

/// What `CreateTrafficPackages` buys: `count` identical packages of `gigabytes` GB (which fixes the validity).
package struct TencentPurchaseOrder: Sendable, Equatable {
    package static let maxCount = 20

    package var gigabytes: Int
    package var count: Int
    package var deductType: TencentDeductType

    package init(gigabytes: Int, count: Int = 1, deductType: TencentDeductType = .fullTime) {
        self.gigabytes = gigabytes
        self.count = count
        self.deductType = deductType
    }

    /// Why the order cannot be sent, or nil.
    package var problem: String? {
        if !TencentCapacityTable.isSold(gigabytes: gigabytes) { return "TrafficAmount \(gigabytes) GB is not sold" }
        if !(1...Self.maxCount).contains(count) { return "TrafficPackageCount must be 1-\(Self.maxCount), got \(count)" }
        if case .unknown(let s) = deductType { return "DeductType \(s) is not FULL_TIME or IDLE_TIME" }
        return nil
    }

    package var validityMonths: Int? { TencentCapacityTable.validityMonths(gigabytes: gigabytes) }

    /// The JSON body, keys in a fixed order. No `ClientToken`: the action has none (it would be `UnknownParameter`).
    package var jsonBody: [UInt8] {
        OrderedJSON.object([
            ("TrafficAmount", .integer(Int64(gigabytes))), ("TrafficPackageCount", .integer(Int64(count))),
            ("DeductType", .string(deductType.wireName)),
        ]).bytes
    }

    /// Whether `package` could be one bought by this order sent at `attemptedAt`: same size and kind, created no
    /// earlier than `attemptedAt - clockSlack`. For reconciling an ambiguous create by listing the region.
    package func couldHaveBought(_ package: TencentPackage, attemptedAt: Date, clockSlack: TimeInterval = 300) -> Bool {
        guard let bytes = TencentAmount.bytes(wholeGB: gigabytes) else { return false }
        return package.totalBytes == bytes && package.deductType == deductType
            && package.createdAt >= attemptedAt.addingTimeInterval(-clockSlack)
    }
}
