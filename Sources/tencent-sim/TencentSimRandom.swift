import TPGWCore

/// tencent-sim's generator: TPGWCore's SplitMix64 with Tencent-shaped ids.
typealias TencentSimRandom = SeededRandom

extension SeededRandom {
    /// `tfp-` and eight lowercase letters or digits, like Tencent ids.
    mutating func tencentPackageID() -> String {
        identifier(prefix: "tfp-", alphabet: "0123456789abcdefghijklmnopqrstuvwxyz", count: 8)
    }

    /// A UUID-shaped request id.
    mutating func tencentRequestID() -> String {
        [8, 4, 4, 4, 12].map { identifier(prefix: "", alphabet: "0123456789abcdef", count: $0) }.joined(separator: "-")
    }
}
