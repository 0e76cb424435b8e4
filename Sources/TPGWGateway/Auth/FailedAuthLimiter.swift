import Foundation
import Synchronization
import TPGWCore

/// Failed authentications per client address, as token buckets: each failure takes a token; an address with
/// no token left is refused (429) before its key is even hashed, until the bucket refills.
///
/// Keyed by the peer's IP as the socket reports it (behind a proxy, that is the proxy).
package final class FailedAuthLimiter: Sendable {
    private let state = Mutex<[String: TokenBucket]>([:])
    /// Tokens regained a second.
    let rate: Double
    /// Failures an address may have in a burst.
    let burst: Double
    /// Above this many tracked addresses, full buckets are dropped.
    let maxTracked: Int

    package init(rate: Double = 1, burst: Double = 20, maxTracked: Int = 10_000) {
        self.rate = rate
        self.burst = burst
        self.maxTracked = maxTracked
    }

    /// Nil when `address` may try to authenticate, else the seconds until it may.
    func wait(_ address: String, now: Date = Date()) -> TimeInterval? {
        state.withLock { buckets in
            guard var bucket = buckets[address] else { return nil }
            let wait = bucket.wait(now: now)
            buckets[address] = bucket
            return wait
        }
    }

    /// Counts one failed authentication from `address`.
    func recordFailure(_ address: String, now: Date = Date()) {
        state.withLock { buckets in
            if buckets.count >= maxTracked {
                buckets = buckets.filter { !$0.value.isFull(now: now) }
                // Still full: new addresses go uncounted rather than memory growing without bound.
                if buckets.count >= maxTracked && buckets[address] == nil { return }
            }
            var bucket = buckets[address] ?? TokenBucket(rate: rate, burst: burst, now: now)
            _ = bucket.take(now: now)
            buckets[address] = bucket
        }
    }

    /// The 429 for an address that failed too often.
    static func tooManyFailures(wait: TimeInterval) -> AppError {
        let seconds = max(1, Int(wait.rounded(.up)))
        return AppError(.rateLimited, "too many failed authentications from this address; retry after \(seconds) s",
                        fieldErrors: [.init(field: "retryAfter", message: "\(seconds)")])
    }
}
