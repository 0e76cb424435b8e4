import Foundation

/// Decides what follows a delivery attempt: done, retry at a time, or give up. Pure (jitter passed in).
///
/// Backoff: `base * 2^(attempt-1)`, capped, times `1 + jitter * jitterShare` with `jitter` in -1...1.
/// Defaults 30 s, 1 min, 2 min, 4 min ... 1 h cap, +-20 %. A receiver's `Retry-After` wins (at most 1 h).
/// A delivery whose next try would fall after `maxAge` from its first attempt is dead (dead-letter list).
package struct DeliveryRetryPolicy: Sendable, Equatable {
    package enum Decision: Sendable, Equatable {
        case delivered
        case retry(at: Date)
        /// Retries exhausted (too old).
        case dead(reason: String)
        /// Permanent failure; not retried.
        case failed(reason: String)
    }

    package var base: TimeInterval = 30
    package var cap: TimeInterval = 3600
    package var jitterShare: Double = 0.2
    package var maxAge: TimeInterval = 24 * 3600
    package var maxRetryAfter: TimeInterval = RetryAfter.defaultLimit

    package init() {}

    /// Delay before retry number `attempt` (1 = after the first failure).
    package func backoff(attempt: Int, jitter: Double) -> TimeInterval {
        let exponent = Double(min(max(attempt, 1) - 1, 30))
        let delay = min(base * pow(2, exponent), cap)
        return delay * (1 + max(-1, min(1, jitter)) * jitterShare)
    }

    /// - Parameters:
    ///   - attempt: attempts made so far, including this one (>= 1).
    ///   - jitter: a random value in -1...1 (the shell passes `.random(in: -1...1)`).
    package func decide(_ outcome: DeliveryOutcome, attempt: Int, firstAttemptAt: Date, now: Date, jitter: Double) -> Decision {
        switch outcome {
        case .delivered:
            return .delivered
        case .permanent(let reason):
            return .failed(reason: reason)
        case .retryable(let reason, let retryAfter):
            let delay = retryAfter.map { min(max($0, 1), maxRetryAfter) } ?? backoff(attempt: attempt, jitter: jitter)
            let next = now.addingTimeInterval(delay)
            if next.timeIntervalSince(firstAttemptAt) > maxAge {
                return .dead(reason: "gave up after \(attempt) attempts over \(Int(now.timeIntervalSince(firstAttemptAt) / 3600)) h: \(reason)")
            }
            return .retry(at: next)
        }
    }
}
