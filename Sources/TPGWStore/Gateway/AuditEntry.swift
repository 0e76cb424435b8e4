import Foundation

/// One `audit_log` row to write: who (the acting key's name), what (`action` such as `budget.update` on
/// `target_type`/`target_id`), and the target before and after as JSON text, already redacted by the caller.
package struct AuditEntry: Sendable, Equatable {
    package var actor: String
    package var action: String
    package var targetType: String
    package var targetID: String
    package var before: String?
    package var after: String?

    package init(actor: String, action: String, targetType: String, targetID: String = "", before: String? = nil, after: String? = nil) {
        self.actor = actor
        self.action = action
        self.targetType = targetType
        self.targetID = targetID
        self.before = before
        self.after = after
    }

    /// The entry with the target's id and states filled in (each only when given).
    package func with(targetID: String? = nil, before: String? = nil, after: String? = nil) -> AuditEntry {
        var e = self
        if let targetID { e.targetID = targetID }
        if let before { e.before = before }
        if let after { e.after = after }
        return e
    }
}

/// One stored audit entry.
package struct AuditRecord: Sendable, Equatable {
    package var id: Int64
    package var at: Date
    package var entry: AuditEntry

    package init(id: Int64, at: Date, entry: AuditEntry) {
        self.id = id
        self.at = at
        self.entry = entry
    }
}

/// Small JSON text builders for audit states the store assembles itself.
package enum AuditJSON {
    /// A JSON string literal.
    package static func string(_ s: String) -> String {
        (try? JSONEncoder().encode(s)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// A JSON object of (key, JSON value text) pairs.
    package static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}
