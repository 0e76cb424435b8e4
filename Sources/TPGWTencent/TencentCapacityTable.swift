/// The sizes `CreateTrafficPackages` sells (`TrafficAmount`, whole GB) and the validity each implies.
/// (Older references also listed 600 GB for 6 months; the current list does not.)
package enum TencentCapacityTable {
    /// Validity in months → sizes in GB.
    package static let sizes: [Int: [Int]] = [
        1: [10, 50, 512, 1024, 5120, 51200],
        6: [60, 300, 3072, 6144, 30720, 61440, 307200],
    ]

    /// Months of validity of a package of `gigabytes` GB, nil when that size is not sold.
    package static func validityMonths(gigabytes: Int) -> Int? {
        sizes.first { $0.value.contains(gigabytes) }?.key
    }

    package static func isSold(gigabytes: Int) -> Bool { validityMonths(gigabytes: gigabytes) != nil }

    /// There is no price API among the traffic-package actions: prices come from Tencent's price page.
    package static let hasPriceAPI = false
}
