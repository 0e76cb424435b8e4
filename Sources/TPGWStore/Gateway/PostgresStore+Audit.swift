import Foundation
import TPGWCore

extension PostgresStore {
    /// Writes an audit entry on the connection of the change's transaction.
    package static func writeAudit(_ e: AuditEntry, on connection: PostgresConnection) async throws {
        _ = try await connection.query("""
            INSERT INTO audit_log (actor, action, target_type, target_id, before, after)
            VALUES (\(e.actor), \(e.action), \(e.targetType), \(e.targetID), \(e.before)::jsonb, \(e.after)::jsonb)
            """)
    }

    /// A page of audit entries, newest first, with optional filters.
    package func auditEntries(
        targetType: String? = nil, targetID: String? = nil, actor: String? = nil, since: Date? = nil, beforeID: Int64? = nil, limit: Int
    ) async throws -> [AuditRecord] {
        let rows = try await pool.query("""
            SELECT id, at, actor, action, target_type, target_id, before::text, after::text FROM audit_log
            WHERE (\(targetType)::text IS NULL OR target_type = \(targetType))
              AND (\(targetID)::text IS NULL OR target_id = \(targetID))
              AND (\(actor)::text IS NULL OR actor = \(actor))
              AND (\(since)::timestamptz IS NULL OR at >= \(since))
              AND id < \(beforeID ?? Int64.max)
            ORDER BY id DESC LIMIT \(limit)
            """, idempotent: true)
        return try rows.map { row throws(PostgresError) in
            let (id, at, actor, action, type, target, before, after) =
                try row.decode((Int64, Date, String, String, String, String, String?, String?).self)
            return AuditRecord(id: id, at: at, entry: AuditEntry(
                actor: actor, action: action, targetType: type, targetID: target, before: before, after: after))
        }
    }
}
