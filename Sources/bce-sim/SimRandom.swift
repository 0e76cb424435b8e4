import TPGWCore

/// bce-sim's generator: TPGWCore's SplitMix64 with BCE-shaped ids.
typealias SimRandom = SeededRandom

extension SeededRandom {
    /// `tp-` and ten base62 characters, like BCE ids.
    mutating func bcePackageID() -> String {
        identifier(prefix: "tp-", alphabet: "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", count: 10)
    }
}
