/// Exponential back-off with jitter, the one both clouds' retry policies use (`BCERetryPolicy`, `TencentRetryPolicy`;
/// they decide *whether* to retry, this decides *how long*). Pure: randomness is passed in.
///
/// The ceiling before retry `n` (1-based) is `min(maxDelay, baseDelay * 2^(n-1))`; the delay is `random * ceiling`
/// (full jitter) or `ceiling/2 + random * ceiling/2` (equal jitter, never back at once).
package struct Backoff: Sendable, Equatable {
    package enum Jitter: Sendable, Equatable {
        case full
        case equal
    }

    package var maxRetries: Int
    package var baseDelay: Duration
    package var maxDelay: Duration
    package var jitter: Jitter

    package init(maxRetries: Int, baseDelay: Duration, maxDelay: Duration, jitter: Jitter) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// The jitter ceiling before retry number `retry` (1-based).
    package func ceiling(retry: Int) -> Duration {
        var d = baseDelay
        var n = 1
        while n < retry && d < maxDelay {
            d = d * 2
            n += 1
        }
        return min(d, maxDelay)
    }

    /// How long to wait before the next retry after `done` back-off retries, or nil when they are used up.
    /// - Parameter random: a value in `0..<1` (clamped).
    package func delay(afterRetries done: Int, random: Double) -> Duration? {
        guard done < maxRetries else { return nil }
        let c = ceiling(retry: done + 1)
        let r = min(max(random, 0), 1)
        switch jitter {
        case .full: return c * r
        case .equal: return c / 2 + (c / 2) * r
        }
    }
}
