import Foundation

/// One alert: one budget rule for one subject, from firing to resolved. Stored by the alert engine.
package struct AlertState: Sendable, Equatable, Codable {
    package enum Status: String, Sendable, Codable {
        case firing
        case resolved
    }

    package var fingerprint: Fingerprint
    package var budgetID: String
    package var budgetName: String
    package var ruleIndex: Int
    package var kind: AlertRule.Kind
    package var subject: AlertSubject
    package var status: Status
    /// Current threshold index (0 for single-threshold rules).
    package var level: Int
    package var value: Double
    package var threshold: Double
    package var summary: String
    package var facts: AlertFacts
    package var startedAt: Date
    /// Last time a notification (firing, escalation, repeat or resolved) was due.
    package var lastNotifiedAt: Date
    package var resolvedAt: Date?
    package var updatedAt: Date
    /// Notifications so far in this firing episode.
    package var notifications: Int
    /// The silence muting this alert (its notices are withheld); when it ends while the alert still fires, the
    /// alert notifies at once.
    package var silencedBy: String?
    /// Who acknowledged it, when and why: repeats stop until it resolves or escalates.
    package var acknowledgement: Acknowledgement?

    /// An acknowledgement of a firing alert.
    package struct Acknowledgement: Sendable, Equatable, Codable {
        package var by: String
        package var at: Date
        package var comment: String

        package init(by: String, at: Date, comment: String) {
            self.by = by
            self.at = at
            self.comment = comment
        }

        enum CodingKeys: String, CodingKey { case by, at, comment }

        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            by = try c.decode(String.self, forKey: .by)
            at = try c.decodeRFC3339(forKey: .at)
            comment = try c.decode(String.self, forKey: .comment)
        }

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(by, forKey: .by)
            try c.encodeRFC3339(at, forKey: .at)
            try c.encode(comment, forKey: .comment)
        }
    }

    package init(condition c: AlertCondition, level: Int, now: Date) {
        fingerprint = c.fingerprint
        budgetID = c.budgetID
        budgetName = c.budgetName
        ruleIndex = c.ruleIndex
        kind = c.kind
        subject = c.subject
        status = .firing
        self.level = level
        value = c.value
        threshold = c.threshold
        summary = c.summary
        facts = c.facts
        startedAt = now
        lastNotifiedAt = now
        resolvedAt = nil
        updatedAt = now
        notifications = 1
    }

    enum CodingKeys: String, CodingKey {
        case fingerprint, budgetID, budgetName, ruleIndex, kind, subject, status, level, value, threshold, summary, facts
        case startedAt, lastNotifiedAt, resolvedAt, updatedAt, notifications, silencedBy, acknowledgement
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        fingerprint = try c.decode(Fingerprint.self, forKey: .fingerprint)
        budgetID = try c.decode(String.self, forKey: .budgetID)
        budgetName = try c.decode(String.self, forKey: .budgetName)
        ruleIndex = try c.decode(Int.self, forKey: .ruleIndex)
        kind = try c.decode(AlertRule.Kind.self, forKey: .kind)
        subject = try c.decode(AlertSubject.self, forKey: .subject)
        status = try c.decode(Status.self, forKey: .status)
        level = try c.decode(Int.self, forKey: .level)
        value = try c.decode(Double.self, forKey: .value)
        threshold = try c.decode(Double.self, forKey: .threshold)
        summary = try c.decode(String.self, forKey: .summary)
        facts = try c.decodeIfPresent(AlertFacts.self, forKey: .facts) ?? AlertFacts()
        startedAt = try c.decodeRFC3339(forKey: .startedAt)
        lastNotifiedAt = try c.decodeRFC3339(forKey: .lastNotifiedAt)
        resolvedAt = try c.decodeRFC3339IfPresent(forKey: .resolvedAt)
        updatedAt = try c.decodeRFC3339(forKey: .updatedAt)
        notifications = try c.decode(Int.self, forKey: .notifications)
        silencedBy = try c.decodeIfPresent(String.self, forKey: .silencedBy)
        acknowledgement = try c.decodeIfPresent(Acknowledgement.self, forKey: .acknowledgement)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(fingerprint, forKey: .fingerprint)
        try c.encode(budgetID, forKey: .budgetID)
        try c.encode(budgetName, forKey: .budgetName)
        try c.encode(ruleIndex, forKey: .ruleIndex)
        try c.encode(kind, forKey: .kind)
        try c.encode(subject, forKey: .subject)
        try c.encode(status, forKey: .status)
        try c.encode(level, forKey: .level)
        try c.encode(value, forKey: .value)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(summary, forKey: .summary)
        try c.encode(facts, forKey: .facts)
        try c.encodeRFC3339(startedAt, forKey: .startedAt)
        try c.encodeRFC3339(lastNotifiedAt, forKey: .lastNotifiedAt)
        try c.encodeRFC3339(resolvedAt, forKey: .resolvedAt)
        try c.encodeRFC3339(updatedAt, forKey: .updatedAt)
        try c.encode(notifications, forKey: .notifications)
        try c.encodeIfPresent(silencedBy, forKey: .silencedBy)
        try c.encodeIfPresent(acknowledgement, forKey: .acknowledgement)
    }
}
