import Foundation

/// What the dispatcher records for one claimed delivery: its next state, and the attempt if one was made.
package struct DeliveryUpdate: Sendable {
    package var id: String
    package var state: String
    package var nextAttemptAt: Date
    package var deliveredAt: Date?
    package var lastError: String?
    package var foldedInto: String?
    /// Nil when the delivery was only deferred (rate limit), not sent.
    package var attempt: DeliveryAttemptRecord?

    package init(
        id: String, state: String, nextAttemptAt: Date, deliveredAt: Date? = nil, lastError: String? = nil, foldedInto: String? = nil,
        attempt: DeliveryAttemptRecord? = nil
    ) {
        self.id = id
        self.state = state
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
        self.lastError = lastError
        self.foldedInto = foldedInto
        self.attempt = attempt
    }
}
