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
    package struct Delivery: Sendable {
        package var id: String
        package var fingerprint: String
        package var channelID: String
        package var eventKind: String
        package var payload: String
        package var createdAt: Date

        package init(id: String, fingerprint: String, channelID: String, eventKind: String, payload: String, createdAt: Date) {
            self.id = id
            self.fingerprint = fingerprint
            self.channelID = channelID
            self.eventKind = eventKind
            self.payload = payload
            self.createdAt = createdAt
        }
    }

    package var alerts: [Alert]
    package var deliveries: [Delivery]

    package init(alerts: [Alert] = [], deliveries: [Delivery] = []) {
        self.alerts = alerts
        self.deliveries = deliveries
    }

    package var isEmpty: Bool { alerts.isEmpty && deliveries.isEmpty }
}
