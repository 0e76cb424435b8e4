import TPGWCore

/// When to retry a failed BCE attempt, and after how long. Pure: randomness is passed in.
///
/// - 500/502/503/504, timeouts and connection errors: retry up to `maxRetries` times with exponential
///   backoff and full jitter (`Backoff`): `delay = random * min(maxDelay, baseDelay * 2^(retry-1))`. With the
///   defaults (200 ms, 5 s cap) the ceilings are 200 ms, 400 ms, 800 ms, 1.6 s, 3.2 s, 5 s, 5 s…
/// - `RequestExpired`: retry once at once (the caller re-signs with a fresh timestamp).
/// - Every other 4xx, decoding errors and client errors: fail at once.
/// Every attempt is signed anew by the caller; a create keeps its `clientToken`.
package struct BCERetryPolicy: Sendable, Equatable {
    package enum Decision: Sendable, Equatable {
        case retry(after: Duration)
        case fail
    }

    package var maxRetries: Int
    package var baseDelay: Duration
    package var maxDelay: Duration

    package init(maxRetries: Int = 3, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(5)) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// - Parameters:
    ///   - error: what the last attempt returned.
    ///   - backoffRetries: backoff retries already made for this call (0 before the first retry).
    ///   - expiredRetried: whether the one `RequestExpired` retry was used.
    ///   - random: a value in `0..<1` (full jitter).
    package func decide(_ error: BCEError, backoffRetries: Int, expiredRetried: Bool, random: Double) -> Decision {
        switch error.kind {
        case .timeout, .connection:
            return retryAfterBackoff(backoffRetries, random)
        case .service:
            if error.code == "RequestExpired" { return expiredRetried ? .fail : .retry(after: .zero) }
            switch error.status ?? 0 {
            case 500, 502, 503, 504: return retryAfterBackoff(backoffRetries, random)
            default: return .fail
            }
        case .decoding, .circuitOpen, .client:
            return .fail
        }
    }

    /// The back-off this policy waits with (full jitter).
    package var backoff: Backoff { Backoff(maxRetries: maxRetries, baseDelay: baseDelay, maxDelay: maxDelay, jitter: .full) }

    /// The jitter ceiling before retry number `retry` (1-based).
    package func ceiling(retry: Int) -> Duration { backoff.ceiling(retry: retry) }

    private func retryAfterBackoff(_ done: Int, _ random: Double) -> Decision {
        backoff.delay(afterRetries: done, random: random).map { .retry(after: $0) } ?? .fail
    }
}
