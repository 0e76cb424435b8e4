import Foundation
import TPGWCore

extension PostgresStore {
    static let silenceColumns = "id, seq, matchers::text, starts_at, ends_at, comment, created_by, created_at, updated_at"

    /// Stores a new silence (with its audit entry, in one transaction).
    package func insertSilence(_ s: SilenceRecord, audit: AuditEntry? = nil) async throws -> SilenceRecord {
        try await pool.withTransaction { connection in
            let rows = try await connection.query("""
                INSERT INTO silences (id, matchers, starts_at, ends_at, comment, created_by)
                VALUES (\(s.id), \(s.matchers)::jsonb, \(s.startsAt), \(s.endsAt), \(s.comment), \(s.createdBy))
                RETURNING \(unsafeRaw: Self.silenceColumns)
                """)
            let record = try Self.decodeSilence(rows[0])
            if let audit { try await Self.writeAudit(audit.with(targetID: record.id, after: Self.silenceJSON(record)), on: connection) }
            return record
        }
    }

    /// Ends a silence now (`ends_at = greatest(starts_at, now)`), keeping its record; nil when there is none.
    /// An already ended silence is returned unchanged.
    package func expireSilence(id: String, now: Date, audit: AuditEntry? = nil) async throws -> SilenceRecord? {
        try await pool.withTransaction { connection in
            let found = try await connection.query("SELECT \(unsafeRaw: Self.silenceColumns) FROM silences WHERE id = \(id) FOR UPDATE")
            guard let row = found.first else { return nil }
            let before = try Self.decodeSilence(row)
            guard before.endsAt > now else { return before }
            let rows = try await connection.query("""
                UPDATE silences SET ends_at = greatest(starts_at, \(now)), updated_at = now() WHERE id = \(id)
                RETURNING \(unsafeRaw: Self.silenceColumns)
                """)
            let after = try Self.decodeSilence(rows[0])
            if let audit {
                try await Self.writeAudit(audit.with(targetID: id, before: Self.silenceJSON(before), after: Self.silenceJSON(after)), on: connection)
            }
            return after
        }
    }

    package func silence(id: String) async throws -> SilenceRecord? {
        let rows = try await pool.query("SELECT \(unsafeRaw: Self.silenceColumns) FROM silences WHERE id = \(id)", idempotent: true)
        return try rows.first.map { row throws(PostgresError) in try Self.decodeSilence(row) }
    }

    /// Silences that end after `now` (active or not yet started): what the engine applies.
    package func silences(endingAfter now: Date) async throws -> [SilenceRecord] {
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: Self.silenceColumns) FROM silences WHERE ends_at > \(now) ORDER BY seq
            """, idempotent: true)
        return try rows.map { row throws(PostgresError) in try Self.decodeSilence(row) }
    }

    /// A page of silences, newest first, optionally only those not yet ended at `activeAt`.
    package func silences(endingAfter now: Date?, beforeSeq: Int64?, limit: Int) async throws -> [SilenceRecord] {
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: Self.silenceColumns) FROM silences
            WHERE (\(now)::timestamptz IS NULL OR ends_at > \(now)) AND seq < \(beforeSeq ?? Int64.max)
            ORDER BY seq DESC LIMIT \(limit)
            """, idempotent: true)
        return try rows.map { row throws(PostgresError) in try Self.decodeSilence(row) }
    }

    static func decodeSilence(_ row: PostgresRow) throws(PostgresError) -> SilenceRecord {
        let (id, seq, matchers, starts, ends, comment, by, created, updated) =
            try row.decode((String, Int64, String, Date, Date, String, String, Date, Date).self)
        return SilenceRecord(
            id: id, seq: seq, matchers: matchers, startsAt: starts, endsAt: ends, comment: comment, createdBy: by, createdAt: created,
            updatedAt: updated)
    }

    /// A silence as an audit entry shows it.
    static func silenceJSON(_ s: SilenceRecord) -> String {
        let fields: [(String, String)] = [
            ("matchers", s.matchers), ("startsAt", AuditJSON.string(RFC3339.format(s.startsAt))),
            ("endsAt", AuditJSON.string(RFC3339.format(s.endsAt))), ("comment", AuditJSON.string(s.comment)),
            ("createdBy", AuditJSON.string(s.createdBy)),
        ]
        return AuditJSON.object(fields)
    }

    /// Acknowledges a firing alert under the engine lock (so no pass overwrites it), with its audit entry, and
    /// moves the engine version so every replica reloads. `change` returns the new body, or nil to leave it.
    /// - Returns: the alert after the change; nil when there is no such alert.
    package func updateAlert(
        id: Int64, audit: AuditEntry? = nil, _ change: (AlertRecord) throws -> String?
    ) async throws -> AlertRecord? {
        try await pool.withTransaction { connection in
            _ = try await connection.query("SELECT version FROM alert_engine WHERE id = 1 FOR UPDATE")
            let found = try await connection.query("SELECT \(unsafeRaw: Self.alertColumns) FROM alerts WHERE id = \(id)")
            guard let row = found.first else { return nil }
            let before = try Self.decodeAlert(row)
            guard let body = try change(before) else { return before }
            let rows = try await connection.query("""
                UPDATE alerts SET body = \(body)::jsonb WHERE id = \(id) RETURNING \(unsafeRaw: Self.alertColumns)
                """)
            _ = try await connection.query("UPDATE alert_engine SET version = version + 1 WHERE id = 1")
            let after = try Self.decodeAlert(rows[0])
            if let audit { try await Self.writeAudit(audit.with(targetID: String(id), before: before.body, after: after.body), on: connection) }
            return after
        }
    }
}
