extension Duration {
    /// Whole milliseconds, rounded towards zero.
    package var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    /// Whole nanoseconds, rounded towards zero; a negative duration is 0.
    package var nanoseconds: UInt64 {
        let (s, atto) = components
        let ns = s * 1_000_000_000 + atto / 1_000_000_000
        return ns > 0 ? UInt64(ns) : 0
    }

    /// Seconds as a `Double` (metrics).
    package var timeInterval: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
