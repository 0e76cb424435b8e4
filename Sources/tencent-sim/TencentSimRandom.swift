/// SplitMix64: a small deterministic generator so `--seed` reproduces the same packages and faults.
struct TencentSimRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<1`.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// `tfp-` and eight lowercase letters or digits, like Tencent ids.
    mutating func packageID() -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var s = "tfp-"
        for _ in 0..<8 { s.append(alphabet[Int(next() % 36)]) }
        return s
    }

    /// A UUID-shaped request id.
    mutating func requestID() -> String {
        let hex = Array("0123456789abcdef")
        var s = ""
        for (n, len) in [8, 4, 4, 4, 12].enumerated() {
            if n > 0 { s.append("-") }
            for _ in 0..<len { s.append(hex[Int(next() % 16)]) }
        }
        return s
    }
}
