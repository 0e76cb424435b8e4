import Foundation
import TPGWCore

extension PostgresStore {
    static let budgetColumns = "id, seq, name, body::text, version, created_at, updated_at"

    /// Makes the audit entry of a change from the record before and after it (nil: none).
    package typealias Audit<R> = @Sendable (_ before: R?, _ after: R?) -> AuditEntry

    /// Stores a new budget (with its audit entry, in one transaction).
    package func insertBudget(id: String, name: String, body: String, audit: Audit<BudgetRecord>? = nil) async throws -> BudgetRecord {
        try await pool.withTransaction { connection in
            let rows = try await connection.query("""
                INSERT INTO budgets (id, name, body) VALUES (\(id), \(name), \(body)::jsonb)
                RETURNING \(unsafeRaw: Self.budgetColumns)
                """)
            let record = try Self.decodeBudget(rows[0])
            if let audit { try await Self.writeAudit(audit(nil, record), on: connection) }
            return record
        }
    }

    /// Replaces a budget's body and bumps its version; nil when there is no such budget. Audited in the same
    /// transaction.
    package func updateBudget(id: String, name: String, body: String, audit: Audit<BudgetRecord>? = nil) async throws -> BudgetRecord? {
        try await pool.withTransaction { connection in
            let found = try await connection.query("SELECT \(unsafeRaw: Self.budgetColumns) FROM budgets WHERE id = \(id) FOR UPDATE")
            guard let row = found.first else { return nil }
            let before = try Self.decodeBudget(row)
            let rows = try await connection.query("""
                UPDATE budgets SET name = \(name), body = \(body)::jsonb, version = version + 1, updated_at = now()
                WHERE id = \(id) RETURNING \(unsafeRaw: Self.budgetColumns)
                """)
            let after = try Self.decodeBudget(rows[0])
            if let audit { try await Self.writeAudit(audit(before, after), on: connection) }
            return after
        }
    }

    /// Deletes a budget with its alerts and their deliveries; returns whether it existed.
    package func deleteBudget(id: String) async throws -> Bool {
        let rows = try await pool.query("DELETE FROM budgets WHERE id = \(id) RETURNING id")
        return !rows.isEmpty
    }

    /// Deletes a budget and says once that its alerts are resolved: in one transaction (under the engine lock, so
    /// a pass never writes for a budget that is gone), `notices` turns its firing alerts into outbox rows, which are
    /// stored without an alert (they outlive it) and due at `now`; then the budget goes with its alerts, their
    /// pending rows and its groups, and the engine version moves so every replica reloads.
    /// - Returns: the deleted budget, or nil when there was none.
    package func deleteBudget(
        id: String, now: Date, audit: Audit<BudgetRecord>? = nil, notices: (BudgetRecord, [AlertRecord]) -> [AlertWriteBatch.Delivery]
    ) async throws -> BudgetRecord? {
        try await pool.withTransaction { connection in
            _ = try await connection.query("SELECT version FROM alert_engine WHERE id = 1 FOR UPDATE")
            let found = try await connection.query("SELECT \(unsafeRaw: Self.budgetColumns) FROM budgets WHERE id = \(id) FOR UPDATE")
            guard let row = found.first else { return nil }
            let record = try Self.decodeBudget(row)
            let firing = try await connection.query("""
                SELECT \(unsafeRaw: Self.alertColumns) FROM alerts WHERE budget_id = \(id) AND state = 'firing' ORDER BY id
                """)
            let rows = notices(record, try firing.map { row throws(PostgresError) in try Self.decodeAlert(row) })
            _ = try await connection.query("DELETE FROM budgets WHERE id = \(id)")
            _ = try await connection.query("DELETE FROM alert_groups WHERE budget_id = \(id)")
            if !rows.isEmpty {
                _ = try await connection.query("""
                    INSERT INTO deliveries (id, alert_id, channel_id, event_kind, payload, created_at, next_attempt_at, budget_id)
                    SELECT u.id, NULL, u.channel, u.kind, u.payload::jsonb, \(now), \(now), \(id)
                    FROM unnest(\(rows.map(\.id))::text[], \(rows.map(\.channelID))::text[], \(rows.map(\.eventKind))::text[],
                                \(rows.map(\.payload))::text[]) AS u(id, channel, kind, payload)
                    JOIN channels c ON c.id = u.channel
                    """)
            }
            _ = try await connection.query("UPDATE alert_engine SET version = version + 1 WHERE id = 1")
            if let audit { try await Self.writeAudit(audit(record, nil), on: connection) }
            return record
        }
    }

    package func budget(id: String) async throws -> BudgetRecord? {
        let rows = try await pool.query("SELECT \(unsafeRaw: Self.budgetColumns) FROM budgets WHERE id = \(id)", idempotent: true)
        return try rows.first.map { row throws(PostgresError) in try Self.decodeBudget(row) }
    }

    /// A page of budgets in creation order, after `afterSeq`; asks for `limit` rows.
    package func budgets(afterSeq: Int64? = nil, limit: Int = Int(Int32.max)) async throws -> [BudgetRecord] {
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: Self.budgetColumns) FROM budgets
            WHERE seq > \(afterSeq ?? 0) ORDER BY seq LIMIT \(limit)
            """, idempotent: true)
        return try rows.map { row throws(PostgresError) in try Self.decodeBudget(row) }
    }

    static func decodeBudget(_ row: PostgresRow) throws(PostgresError) -> BudgetRecord {
        let (id, seq, name, body, version, created, updated) = try row.decode((String, Int64, String, String, Int, Date, Date).self)
        return BudgetRecord(id: id, seq: seq, name: name, body: body, version: version, createdAt: created, updatedAt: updated)
    }
}

extension PostgresStore {
    /// Changes whenever a budget is created, changed or deleted (a cheap probe for re-evaluation).
    /// Silences count too: one created, ended, or starting or ending by the clock (so a silence's end notifies
    /// still-firing alerts within the probe's second, not at the next periodic pass).
    package func budgetsSignature() async throws -> String {
        let rows = try await pool.query("""
            SELECT count(*)::text || ':' || coalesce(max(seq), 0)::text || ':' || coalesce(sum(version), 0)::text || ':' ||
                   coalesce(max(updated_at)::text, '') || ':' ||
                   (SELECT count(*)::text || ':' || count(*) FILTER (WHERE starts_at <= now() AND ends_at > now())::text || ':' ||
                           coalesce(max(updated_at)::text, '') FROM silences)
            FROM budgets
            """, idempotent: true)
        return try rows[0].decode(String.self, at: 0)
    }
}
