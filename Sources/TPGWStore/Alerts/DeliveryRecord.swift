import Foundation

/// One outbox row: an alert event (or a digest's share of one) for one channel.
package struct DeliveryRecord: Sendable, Equatable {
    package var id: String
    package var seq: Int64
    package var alertID: Int64?
    package var channelID: String
    package var eventKind: String
    /// The event(s) as JSON text.
    package var payload: String
    /// `pending`, `delivered`, `dead` (retries exhausted) or `failed` (permanent error).
    package var state: String
    package var attempts: Int
    package var createdAt: Date
    package var nextAttemptAt: Date
    package var claimedBy: String?
    package var claimUntil: Date?
    package var deliveredAt: Date?
    /// The delivery whose (digest) message carried this one.
    package var foldedInto: String?
    package var lastError: String?
    /// The budget whose (budget, channel) group the row belongs to; nil for rows written before grouping.
    package var budgetID: String?

    package init(
        id: String, seq: Int64, alertID: Int64?, channelID: String, eventKind: String, payload: String, state: String, attempts: Int,
        createdAt: Date, nextAttemptAt: Date, claimedBy: String?, claimUntil: Date?, deliveredAt: Date?, foldedInto: String?,
        lastError: String?, budgetID: String? = nil
    ) {
        self.id = id
        self.seq = seq
        self.alertID = alertID
        self.channelID = channelID
        self.eventKind = eventKind
        self.payload = payload
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.claimedBy = claimedBy
        self.claimUntil = claimUntil
        self.deliveredAt = deliveredAt
        self.foldedInto = foldedInto
        self.lastError = lastError
        self.budgetID = budgetID
    }

    /// Rows of one group go out together: (channel, budget), or the row alone when it has no budget.
    package var groupKey: String { budgetID.map { "b:" + $0 } ?? "d:" + id }
}
