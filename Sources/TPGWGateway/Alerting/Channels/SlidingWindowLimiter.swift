import Foundation

/// A pure sliding-window rate limiter for one channel: at most `count` sends in any `per` seconds, for
/// every limit at once. Keeps only the send times that can still matter.
package struct SlidingWindowLimiter: Sendable, Equatable {
    package struct Limit: Sendable, Equatable {
        package var count: Int
        package var per: TimeInterval
        package init(count: Int, per: TimeInterval) {
            self.count = count
            self.per = per
        }
    }

    package let limits: [Limit]
    /// Recent send times, oldest first.
    package private(set) var sent: [Date] = []

    package init(limits: [Limit], sent: [Date] = []) {
        self.limits = limits
        self.sent = sent.sorted()
    }

    /// The limiter for a channel format's documented robot limits.
    package init(format: ChannelFormat) {
        self.init(limits: format.rateLimits)
    }

    /// When a send would be allowed: `now` if allowed now, else the earliest later instant.
    package func nextAllowed(now: Date) -> Date {
        var at = now
        for limit in limits where limit.count > 0 {
            let inWindow = sent.filter { $0 > now.addingTimeInterval(-limit.per) }
            if inWindow.count >= limit.count {
                // The send that must leave the window before another fits.
                let blocker = inWindow[inWindow.count - limit.count]
                at = max(at, blocker.addingTimeInterval(limit.per))
            }
        }
        return at
    }

    /// Records a send at `now` if allowed and returns true; otherwise records nothing and returns false.
    package mutating func tryAcquire(now: Date) -> Bool {
        guard nextAllowed(now: now) <= now else { return false }
        sent.append(now)
        let longest = limits.map(\.per).max() ?? 0
        sent.removeAll { $0 <= now.addingTimeInterval(-longest) }
        return true
    }
}
