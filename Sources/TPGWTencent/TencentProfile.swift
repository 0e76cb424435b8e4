import TPGWCore

extension ProviderProfile {
    /// Tencent Cloud VPC shared traffic packages (docs/tencent-vpc-tp.md): the size fixes the validity, 1-20
    /// packages per create, no price API, no idempotency token (a create is sent once, never again).
    ///
    /// Tencent documents neither the off-peak hours nor the draw order: the defaults are 00:00-08:00 UTC+8 and
    /// earliest deadline first, both configurable per account (`offPeak`, `drawOrder`).
    package static let tencent = ProviderProfile(
        name: "tencent", displayName: "Tencent Cloud", currency: "CNY",
        capacities: TencentCapacityTable.sizes.mapValues { $0.map(TencentCapacityTable.capacity(gigabytes:)) }, sizeFixesValidity: true,
        maxCount: TencentPurchaseOrder.maxCount, lineTypes: [], hasPriceAPI: TencentCapacityTable.hasPriceAPI, idempotentCreate: false,
        poolRules: PoolRules(offPeak: OffPeakWindow(startMinute: 0, endMinute: 8 * 60, utcOffsetMinutes: 8 * 60), drawOrder: .earliestDeadlineFirst))
}

extension TencentCapacityTable {
    /// tpgw's capacity name of a size in GB: `10G`, `512G`, `1T` (1024 GB), `50T`.
    package static func capacity(gigabytes: Int) -> String {
        gigabytes % (1 << 20) == 0 ? "\(gigabytes >> 20)P" : gigabytes % 1024 == 0 ? "\(gigabytes / 1024)T" : "\(gigabytes)G"
    }

    /// Whole GB of a capacity name (`1T` is 1024), nil when it is not whole GB.
    package static func gigabytes(capacity: String) -> Int? {
        guard let bytes = CapacityTable.bytes(of: capacity), bytes % (1 << 30) == 0 else { return nil }
        return Int(exactly: bytes >> 30)
    }
}
