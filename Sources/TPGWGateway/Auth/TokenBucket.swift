import Foundation

/// A token bucket: `rate` tokens a second up to `burst`. Pure: the caller passes `now`.
struct TokenBucket: Sendable, Equatable {
    var rate: Double
    var burst: Double
    private(set) var tokens: Double
    private(set) var updatedAt: Date

    init(rate: Double, burst: Double, now: Date) {
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.updatedAt = now
    }

    /// Takes one token. Returns nil when allowed, or the seconds until a token is available.
    mutating func take(now: Date) -> TimeInterval? {
        refill(now: now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return (1 - tokens) / rate
    }

    /// Whether a token is available, without taking it: nil when one is, else the seconds until one is.
    mutating func wait(now: Date) -> TimeInterval? {
        refill(now: now)
        return tokens >= 1 ? nil : (1 - tokens) / rate
    }

    /// Whether the bucket is full at `now` (it then carries no information and can be dropped).
    func isFull(now: Date) -> Bool {
        tokens + max(0, now.timeIntervalSince(updatedAt)) * rate >= burst
    }

    private mutating func refill(now: Date) {
        let elapsed = max(0, now.timeIntervalSince(updatedAt))
        tokens = min(burst, tokens + elapsed * rate)
        updatedAt = max(updatedAt, now)
    }
}
