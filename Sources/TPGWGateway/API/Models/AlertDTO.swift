import Foundation
import TPGWCore
import TPGWStore

/// An alert as the API shows it: its id, state and the state machine's fields; with its deliveries on `GET /v1/alerts/{id}`.
struct AlertDTO: Encodable, Sendable {
    var id: Int64
    var alert: AlertState
    var deliveries: [DeliveryDTO]?

    init?(_ record: AlertRecord, deliveries: [DeliveryDTO]? = nil) {
        guard let alert = try? JSONDecoder().decode(AlertState.self, from: Data(record.body.utf8)) else { return nil }
        self.id = record.id
        self.alert = alert
        self.deliveries = deliveries
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let a = alert
        try c.encode(String(id), forKey: .id)
        try c.encode(a.fingerprint, forKey: .fingerprint)
        try c.encode(a.budgetID, forKey: .budgetId)
        try c.encode(a.budgetName, forKey: .budgetName)
        try c.encode(a.ruleIndex, forKey: .ruleIndex)
        try c.encode(a.kind, forKey: .kind)
        try c.encode(a.subject, forKey: .subject)
        try c.encode(a.status, forKey: .state)
        try c.encode(a.level, forKey: .level)
        try c.encode(a.value, forKey: .value)
        try c.encode(a.threshold, forKey: .threshold)
        try c.encode(a.summary, forKey: .summary)
        try c.encode(a.facts, forKey: .facts)
        try c.encode(RFC3339.format(a.startedAt), forKey: .startedAt)
        try c.encode(RFC3339.format(a.lastNotifiedAt), forKey: .lastNotifiedAt)
        try c.encode(a.resolvedAt.map { RFC3339.format($0) }, forKey: .resolvedAt)
        try c.encode(RFC3339.format(a.updatedAt), forKey: .updatedAt)
        try c.encode(a.notifications, forKey: .notifications)
        if let deliveries { try c.encode(deliveries, forKey: .deliveries) }
    }

    enum CodingKeys: String, CodingKey {
        case id, fingerprint, budgetId, budgetName, ruleIndex, kind, subject, state, level, value, threshold, summary, facts
        case startedAt, lastNotifiedAt, resolvedAt, updatedAt, notifications, deliveries
    }
}
