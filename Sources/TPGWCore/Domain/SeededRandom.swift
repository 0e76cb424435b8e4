/// SplitMix64: a small deterministic generator, so a simulator's `--seed` reproduces the same packages and faults.
/// One generator for both simulators (each adds its own id shapes).
package struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<1`.
    package mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// `prefix` and `count` characters drawn from `alphabet`.
    package mutating func identifier(prefix: String, alphabet: String, count: Int) -> String {
        let letters = Array(alphabet)
        var s = prefix
        for _ in 0..<count { s.append(letters[Int(next() % UInt64(letters.count))]) }
        return s
    }
}
