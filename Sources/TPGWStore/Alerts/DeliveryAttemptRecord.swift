import Foundation

/// One send of a delivery. `error` and `responseExcerpt` are secret-free (the dispatcher scrubs them).
package struct DeliveryAttemptRecord: Sendable, Equatable {
    package var deliveryID: String
    package var attemptedAt: Date
    /// HTTP status; nil when no response arrived.
    package var status: Int?
    package var latencyMs: Int
    /// `delivered`, `retry`, `dead`, `failed`.
    package var outcome: String
    package var error: String?
    package var responseExcerpt: String?

    package init(
        deliveryID: String, attemptedAt: Date, status: Int?, latencyMs: Int, outcome: String, error: String?, responseExcerpt: String?
    ) {
        self.deliveryID = deliveryID
        self.attemptedAt = attemptedAt
        self.status = status
        self.latencyMs = latencyMs
        self.outcome = outcome
        self.error = error
        self.responseExcerpt = responseExcerpt
    }
}
