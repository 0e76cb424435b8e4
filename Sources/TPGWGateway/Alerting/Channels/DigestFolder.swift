import Foundation
import TPGWCore

/// Holds a rate-limited channel's waiting events and releases them, folded into one message, when the
/// channel's limiter allows a send. Pure: the shell calls ``submit(_:now:)`` for new events and
/// ``release(now:)`` at ``nextRelease(now:)``; each non-empty answer becomes one delivery.
package struct DigestFolder: Sendable, Equatable {
    package private(set) var limiter: SlidingWindowLimiter
    package private(set) var waiting: [AlertEvent] = []

    package init(format: ChannelFormat) {
        limiter = SlidingWindowLimiter(format: format)
    }

    package init(limiter: SlidingWindowLimiter) {
        self.limiter = limiter
    }

    /// Queues `event`; returns the events to send now (itself, or everything that waited) or nothing.
    package mutating func submit(_ event: AlertEvent, now: Date) -> [AlertEvent] {
        waiting.append(event)
        return release(now: now)
    }

    /// Everything waiting, when the limiter grants a send now; otherwise nothing.
    package mutating func release(now: Date) -> [AlertEvent] {
        guard !waiting.isEmpty, limiter.tryAcquire(now: now) else { return [] }
        defer { waiting.removeAll() }
        return waiting
    }

    /// When to call ``release(now:)`` next; nil when nothing waits.
    package func nextRelease(now: Date) -> Date? {
        waiting.isEmpty ? nil : limiter.nextAllowed(now: now)
    }
}
