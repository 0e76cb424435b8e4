import Foundation
import TPGWCore
import TPGWStore

/// A delivery as the API shows it (no payload, no URL), with its attempts when asked for.
struct DeliveryDTO: Encodable, Sendable {
    var record: DeliveryRecord
    var attempts: [DeliveryAttemptRecord]?

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let d = record
        try c.encode(d.id, forKey: .id)
        try c.encode(d.alertID.map { String($0) }, forKey: .alertId)
        try c.encode(d.channelID, forKey: .channelId)
        try c.encode(d.eventKind, forKey: .event)
        try c.encode(d.state, forKey: .state)
        try c.encode(d.attempts, forKey: .attemptCount)
        try c.encode(RFC3339.format(d.createdAt), forKey: .createdAt)
        try c.encode(d.state == "pending" ? RFC3339.format(d.nextAttemptAt) : nil, forKey: .nextAttemptAt)
        try c.encode(d.deliveredAt.map { RFC3339.format($0) }, forKey: .deliveredAt)
        try c.encode(d.foldedInto, forKey: .foldedInto)
        try c.encode(d.lastError, forKey: .lastError)
        if let attempts {
            try c.encode(attempts.map(Attempt.init), forKey: .attempts)
        }
    }

    struct Attempt: Encodable {
        var a: DeliveryAttemptRecord
        init(_ a: DeliveryAttemptRecord) { self.a = a }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(RFC3339.format(a.attemptedAt), forKey: .at)
            try c.encode(a.status, forKey: .status)
            try c.encode(a.latencyMs, forKey: .latencyMs)
            try c.encode(a.outcome, forKey: .outcome)
            try c.encode(a.error, forKey: .error)
            try c.encode(a.responseExcerpt, forKey: .responseExcerpt)
        }
        enum CodingKeys: String, CodingKey { case at, status, latencyMs, outcome, error, responseExcerpt }
    }

    enum CodingKeys: String, CodingKey {
        case id, alertId, channelId, event, state, attemptCount, createdAt, nextAttemptAt, deliveredAt, foldedInto, lastError, attempts
    }
}
