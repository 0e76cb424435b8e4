/// The purchasable capacities per validity (months), from BCE's create reference.
package enum CapacityTable {
    package static let validCapacities: [Int: [String]] = [
        1: ["10G", "50G", "100G", "500G", "1T", "5T", "10T", "50T"],
        6: ["60G", "300G", "600G", "3T", "6T", "30T", "60T", "300T"],
        12: ["1T", "10T", "50T", "100T", "500T", "1P"],
    ]

    /// Whether `capacity` may be bought for `months`.
    package static func isValid(months: Int, capacity: String) -> Bool {
        validCapacities[months]?.contains(capacity) ?? false
    }

    /// Bytes of a capacity string such as `10G`, `5T`, `1P` (binary units); nil when malformed.
    package static func bytes(of capacity: String) -> Int64? {
        guard let unit = capacity.last, let n = Int64(capacity.dropLast()), n > 0 else { return nil }
        let multiplier: Int64
        switch unit {
        case "G": multiplier = 1 << 30
        case "T": multiplier = 1 << 40
        case "P": multiplier = 1 << 50
        default: return nil
        }
        let (v, overflow) = n.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : v
    }
}
