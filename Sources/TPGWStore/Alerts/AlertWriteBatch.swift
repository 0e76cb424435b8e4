import Foundation

/// What one engine pass writes in one transaction: changed alerts and their new outbox rows.
package struct AlertWriteBatch: Sendable {
    /// One alert row to insert or update, keyed by fingerprint.
    package struct Alert: Sendable {
        package var fingerprint: String
        package var budgetID: String
        package var ruleIndex: Int
        package var kind: String
        package var subject: String
        package var state: String
        package var level: Int
        package var lastNotifiedAt: Date
        package var updatedAt: Date
        package var body: String

        package init(
            fingerprint: String, budgetID: String, ruleIndex: Int, kind: String, subject: String, state: String, level: Int,
            lastNotifiedAt: Date, updatedAt: Date, body: String
        ) {
            self.fingerprint = fingerprint
            self.budgetID = budgetID
            self.ruleIndex = ruleIndex
            self.kind = kind
            self.subject = subject
            self.state = state
            self.level = level
            self.lastNotifiedAt = lastNotifiedAt
            self.updatedAt = updatedAt
            self.body = body
        }
    }

    /// One outbox row for an alert event and a channel; the alert is named by fingerprint (it may be new).
    ///
    /// With a budget, the row joins its (budget, channel) group and is due when the group is: `groupWait` after the
    /// group's first waiting change, and no sooner than `groupInterval` after its last message (both 0: at once).
    package struct Delivery: Sendable {
        package var id: String
        package var fingerprint: String
        package var channelID: String
        package var eventKind: String
        package var payload: String
        package var createdAt: Date
        package var budgetID: String?
        package var groupWait: TimeInterval
        package var groupInterval: TimeInterval

        package init(
            id: String, fingerprint: String, channelID: String, eventKind: String, payload: String, createdAt: Date,
            budgetID: String? = nil, groupWait: TimeInterval = 0, groupInterval: TimeInterval = 0
        ) {
            self.id = id
            self.fingerprint = fingerprint
            self.channelID = channelID
            self.eventKind = eventKind
            self.payload = payload
            self.createdAt = createdAt
            self.budgetID = budgetID
            self.groupWait = groupWait
            self.groupInterval = groupInterval
        }
    }

    package var alerts: [Alert]
    package var deliveries: [Delivery]
    /// Package statuses the engine saw in this pass that differ from the stored ones (key, status).
    package var statuses: [(key: String, status: String)]

    package init(alerts: [Alert] = [], deliveries: [Delivery] = [], statuses: [(key: String, status: String)] = []) {
        self.alerts = alerts
        self.deliveries = deliveries
        self.statuses = statuses
    }

    package var isEmpty: Bool { alerts.isEmpty && deliveries.isEmpty && statuses.isEmpty }
}
