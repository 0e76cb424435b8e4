import Foundation

/// How a delivery attempt ended, before the retry policy decides what comes next.
package enum DeliveryOutcome: Sendable, Equatable {
    case delivered
    /// Worth trying again; `retryAfter` when the receiver said how long to wait.
    case retryable(reason: String, retryAfter: TimeInterval?)
    /// Trying again would fail the same way (bad URL, token, signature, payload).
    case permanent(reason: String)
}
