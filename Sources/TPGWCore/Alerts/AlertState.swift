import Foundation

/// One alert: one budget rule for one subject, from firing to resolved. Stored by the alert engine.
///
/// A value with copy-on-write storage: the fields sit behind one reference, so the copies an alert pass makes of
/// every stored alert (dictionary lookups, scans, the state machine's input) cost one retain, not one per string; a
/// change copies the fields only while they are shared.
package struct AlertState: Sendable, Equatable, Codable {
    package enum Status: String, Sendable, Codable {
        case firing
        case resolved
    }

    package var fingerprint: Fingerprint { get { box.fields.fingerprint } set { fields.fingerprint = newValue } }
    package var budgetID: String { get { box.fields.budgetID } set { fields.budgetID = newValue } }
    package var budgetName: String { get { box.fields.budgetName } set { fields.budgetName = newValue } }
    package var ruleIndex: Int { get { box.fields.ruleIndex } set { fields.ruleIndex = newValue } }
    package var kind: AlertRule.Kind { get { box.fields.kind } set { fields.kind = newValue } }
    package var subject: AlertSubject { get { box.fields.subject } set { fields.subject = newValue } }
    package var status: Status { get { box.fields.status } set { fields.status = newValue } }
    /// Current threshold index (0 for single-threshold rules).
    package var level: Int { get { box.fields.level } set { fields.level = newValue } }
    package var value: Double { get { box.fields.value } set { fields.value = newValue } }
    package var threshold: Double { get { box.fields.threshold } set { fields.threshold = newValue } }
    package var summary: String { get { box.fields.summary } set { fields.summary = newValue } }
    package var facts: AlertFacts { get { box.fields.facts } set { fields.facts = newValue } }
    package var startedAt: Date { get { box.fields.startedAt } set { fields.startedAt = newValue } }
    /// Last time a notification (firing, escalation, repeat or resolved) was due.
    package var lastNotifiedAt: Date { get { box.fields.lastNotifiedAt } set { fields.lastNotifiedAt = newValue } }
    package var resolvedAt: Date? { get { box.fields.resolvedAt } set { fields.resolvedAt = newValue } }
    package var updatedAt: Date { get { box.fields.updatedAt } set { fields.updatedAt = newValue } }
    /// Notifications so far in this firing episode.
    package var notifications: Int { get { box.fields.notifications } set { fields.notifications = newValue } }
    /// The silence muting this alert (its notices are withheld); when it ends while the alert still fires, the
    /// alert notifies at once.
    package var silencedBy: String? { get { box.fields.silencedBy } set { fields.silencedBy = newValue } }
    /// Who acknowledged it, when and why: repeats stop until it resolves or escalates.
    package var acknowledgement: Acknowledgement? { get { box.fields.acknowledgement } set { fields.acknowledgement = newValue } }

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
        box = Box(Fields(
            fingerprint: c.fingerprint, budgetID: c.budgetID, budgetName: c.budgetName, ruleIndex: c.ruleIndex, kind: c.kind,
            subject: c.subject, status: .firing, level: level, value: c.value, threshold: c.threshold, summary: c.summary,
            facts: c.facts, startedAt: now, lastNotifiedAt: now, updatedAt: now, notifications: 1))
    }

    package init(from decoder: any Decoder) throws {
        box = Box(try Fields(from: decoder))
    }

    package func encode(to encoder: any Encoder) throws {
        try box.fields.encode(to: encoder)
    }

    package static func == (a: AlertState, b: AlertState) -> Bool {
        a.box === b.box || a.box.fields == b.box.fields
    }

    // MARK: storage

    /// Mutated only through `fields`' `_modify`, which first copies a shared box: never shared while written.
    private final class Box: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    private var fields: Fields {
        get { box.fields }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            yield &box.fields
        }
    }

    fileprivate struct Fields: Equatable, Codable {
        var fingerprint: Fingerprint
        var budgetID: String
        var budgetName: String
        var ruleIndex: Int
        var kind: AlertRule.Kind
        var subject: AlertSubject
        var status: Status
        var level: Int
        var value: Double
        var threshold: Double
        var summary: String
        var facts: AlertFacts
        var startedAt: Date
        var lastNotifiedAt: Date
        var resolvedAt: Date? = nil
        var updatedAt: Date
        var notifications: Int
        var silencedBy: String? = nil
        var acknowledgement: Acknowledgement? = nil
    }
}

/// The stored JSON form (an alert row's body): field names as ever, instants in RFC 3339.
extension AlertState.Fields {
    enum CodingKeys: String, CodingKey {
        case fingerprint, budgetID, budgetName, ruleIndex, kind, subject, status, level, value, threshold, summary, facts
        case startedAt, lastNotifiedAt, resolvedAt, updatedAt, notifications, silencedBy, acknowledgement
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        fingerprint = try c.decode(Fingerprint.self, forKey: .fingerprint)
        budgetID = try c.decode(String.self, forKey: .budgetID)
        budgetName = try c.decode(String.self, forKey: .budgetName)
        ruleIndex = try c.decode(Int.self, forKey: .ruleIndex)
        kind = try c.decode(AlertRule.Kind.self, forKey: .kind)
        subject = try c.decode(AlertSubject.self, forKey: .subject)
        status = try c.decode(AlertState.Status.self, forKey: .status)
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
        acknowledgement = try c.decodeIfPresent(AlertState.Acknowledgement.self, forKey: .acknowledgement)
    }

    func encode(to encoder: any Encoder) throws {
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
