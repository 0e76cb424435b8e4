import Foundation
import Synchronization

/// Per-key token buckets, shared by all requests. Buckets idle for a while are dropped to bound memory.
package final class RateLimiter: Sendable {
    private let state = Mutex<[String: TokenBucket]>([:])
    let rate: Double
    let burst: Double

    package init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
    }

    /// Takes a token for `key`: nil when allowed, else seconds to wait.
    func take(_ key: String, now: Date = Date()) -> TimeInterval? {
        state.withLock { buckets in
            if buckets.count > 10_000 {
                buckets = buckets.filter { now.timeIntervalSince($0.value.updatedAt) < burst / rate }
            }
            var bucket = buckets[key] ?? TokenBucket(rate: rate, burst: burst, now: now)
            let wait = bucket.take(now: now)
            buckets[key] = bucket
            return wait
        }
    }
}
