import Foundation
import TPGWCore

extension PostgresStore {
    static let alertColumns = "id, fingerprint, budget_id, state, level, body::text, updated_at"

    /// Runs one alert-engine pass as the single writer: locks the engine row (other replicas wait), hands `body`
    /// every stored alert when `cachedVersion` is stale (nil when the caller's cache is current), and writes the
    /// batch it returns (alert upserts and their outbox rows) in the same transaction. With a reload come the
    /// package statuses the engine saw last (stored, so a change made while tpgw was down is still noticed).
    /// - Returns: the engine version after the pass (unchanged when nothing was written).
    package func alertEnginePass(
        cachedVersion: Int64?,
        _ body: (_ reload: [AlertRecord]?, _ statuses: [String: String]?, _ version: Int64) async throws -> AlertWriteBatch
    ) async throws -> Int64 {
        try await pool.withTransaction { connection in
            let locked = try await connection.query("SELECT version FROM alert_engine WHERE id = 1 FOR UPDATE")
            let version = try locked[0].decode(Int64.self, at: 0)
            var reload: [AlertRecord]?
            var statuses: [String: String]?
            if version != cachedVersion {
                let rows = try await connection.query("SELECT \(unsafeRaw: Self.alertColumns) FROM alerts")
                reload = try rows.map { row throws(PostgresError) in try Self.decodeAlert(row) }
                var seen: [String: String] = [:]
                for row in try await connection.query("SELECT package_key, status FROM alert_seen_statuses") {
                    let (key, status) = try row.decode((String, String).self)
                    seen[key] = status
                }
                statuses = seen
            }
            let batch = try await body(reload, statuses, version)
            guard !batch.isEmpty else { return version }
            try await Self.write(batch, on: connection)
            let bumped = try await connection.query("UPDATE alert_engine SET version = version + 1 WHERE id = 1 RETURNING version")
            return try bumped[0].decode(Int64.self, at: 0)
        }
    }

    /// Rows per statement: keeps each statement well inside `statement_timeout` when a pass writes very many.
    static let writeChunk = 5000

    private static func write(_ batch: AlertWriteBatch, on connection: PostgresConnection) async throws {
        for start in stride(from: 0, to: batch.alerts.count, by: writeChunk) {
            try await writeAlerts(Array(batch.alerts[start..<min(start + writeChunk, batch.alerts.count)]), on: connection)
        }
        for start in stride(from: 0, to: batch.deliveries.count, by: writeChunk) {
            try await writeDeliveries(Array(batch.deliveries[start..<min(start + writeChunk, batch.deliveries.count)]), on: connection)
        }
        for start in stride(from: 0, to: batch.statuses.count, by: writeChunk) {
            let chunk = batch.statuses[start..<min(start + writeChunk, batch.statuses.count)]
            _ = try await connection.query("""
                INSERT INTO alert_seen_statuses (package_key, status)
                SELECT * FROM unnest(\(chunk.map(\.key))::text[], \(chunk.map(\.status))::text[])
                ON CONFLICT (package_key) DO UPDATE SET status = excluded.status
                """)
        }
    }

    private static func writeAlerts(_ a: [AlertWriteBatch.Alert], on connection: PostgresConnection) async throws {
        if !a.isEmpty {
            _ = try await connection.query("""
                INSERT INTO alerts (fingerprint, budget_id, rule_index, kind, subject, state, level, last_notified_at, updated_at, body)
                SELECT u.fp, u.budget, u.rule, u.kind, u.subject, u.state, u.level, u.notified, u.updated, u.body::jsonb
                FROM unnest(\(a.map(\.fingerprint))::text[], \(a.map(\.budgetID))::text[], \(a.map(\.ruleIndex))::int[],
                            \(a.map(\.kind))::text[], \(a.map(\.subject))::text[], \(a.map(\.state))::text[], \(a.map(\.level))::int[],
                            \(a.map(\.lastNotifiedAt))::timestamptz[], \(a.map(\.updatedAt))::timestamptz[], \(a.map(\.body))::text[])
                     AS u(fp, budget, rule, kind, subject, state, level, notified, updated, body)
                ON CONFLICT (fingerprint) DO UPDATE
                SET budget_id = excluded.budget_id, rule_index = excluded.rule_index, kind = excluded.kind, subject = excluded.subject,
                    state = excluded.state, level = excluded.level, last_notified_at = excluded.last_notified_at,
                    updated_at = excluded.updated_at, body = excluded.body
                """)
        }
    }

    private static func writeDeliveries(_ d: [AlertWriteBatch.Delivery], on connection: PostgresConnection) async throws {
        guard !d.isEmpty else { return }
        try await scheduleGroups(d, on: connection)
        _ = try await connection.query("""
            INSERT INTO deliveries (id, alert_id, channel_id, event_kind, payload, created_at, next_attempt_at, budget_id)
            SELECT u.id, a.id, u.channel, u.kind, u.payload::jsonb, u.created, coalesce(g.next_flush_at, u.created), u.budget
            FROM unnest(\(d.map(\.id))::text[], \(d.map(\.fingerprint))::text[], \(d.map(\.channelID))::text[],
                        \(d.map(\.eventKind))::text[], \(d.map(\.payload))::text[], \(d.map(\.createdAt))::timestamptz[],
                        \(d.map(\.budgetID))::text[])
                 AS u(id, fp, channel, kind, payload, created, budget)
            JOIN alerts a ON a.fingerprint = u.fp
            JOIN channels c ON c.id = u.channel
            LEFT JOIN alert_groups g ON g.budget_id = u.budget AND g.channel_id = u.channel
            """)
    }

    /// Sets when each (budget, channel) group of these rows is due: a group already waiting keeps its time (or
    /// comes forward, for a change that must go at once); otherwise max(now + groupWait, last message +
    /// groupInterval). Rows already waiting in the group move with it, so the group goes out as one message.
    static func scheduleGroups(_ d: [AlertWriteBatch.Delivery], on connection: PostgresConnection) async throws {
        let grouped = d.filter { $0.budgetID != nil }
        guard !grouped.isEmpty else { return }
        let budgets = grouped.map { $0.budgetID ?? "" }, channels = grouped.map(\.channelID), created = grouped.map(\.createdAt)
        let waits = grouped.map { max(0, $0.groupWait) }, intervals = grouped.map { max(0, $0.groupInterval) }
        _ = try await connection.query("""
            INSERT INTO alert_groups (budget_id, channel_id)
            SELECT DISTINCT u.budget, u.channel FROM unnest(\(budgets)::text[], \(channels)::text[]) AS u(budget, channel)
            JOIN channels c ON c.id = u.channel
            ON CONFLICT DO NOTHING
            """)
        _ = try await connection.query("""
            WITH u AS (
                SELECT budget, channel, min(created) AS created, min(wait) AS wait, min(intv) AS intv
                FROM unnest(\(budgets)::text[], \(channels)::text[], \(created)::timestamptz[], \(waits)::float8[], \(intervals)::float8[])
                     AS u(budget, channel, created, wait, intv)
                GROUP BY budget, channel
            ), planned AS (
                UPDATE alert_groups g SET next_flush_at = CASE
                    WHEN g.next_flush_at > u.created THEN LEAST(g.next_flush_at, greatest(
                        u.created + make_interval(secs => u.wait), g.last_flush_at + make_interval(secs => u.intv)))
                    ELSE greatest(u.created + make_interval(secs => u.wait),
                                  coalesce(g.last_flush_at + make_interval(secs => u.intv), u.created))
                    END
                FROM u WHERE g.budget_id = u.budget AND g.channel_id = u.channel
                RETURNING g.budget_id, g.channel_id, g.next_flush_at
            )
            UPDATE deliveries d SET next_attempt_at = p.next_flush_at
            FROM planned p
            WHERE d.budget_id = p.budget_id AND d.channel_id = p.channel_id AND d.state = 'pending' AND d.attempts = 0
              AND d.claimed_by IS NULL AND d.next_attempt_at > p.next_flush_at
            """)
    }

    /// A page of alerts, newest first, with optional filters.
    package func alerts(state: String? = nil, budgetID: String? = nil, subject: String? = nil, beforeID: Int64? = nil, limit: Int) async throws -> [AlertRecord] {
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: Self.alertColumns) FROM alerts
            WHERE (\(state)::text IS NULL OR state = \(state))
              AND (\(budgetID)::text IS NULL OR budget_id = \(budgetID))
              AND (\(subject)::text IS NULL OR subject = \(subject))
              AND id < \(beforeID ?? Int64.max)
            ORDER BY id DESC LIMIT \(limit)
            """, idempotent: true)
        return try rows.map { row throws(PostgresError) in try Self.decodeAlert(row) }
    }

    package func alert(id: Int64) async throws -> AlertRecord? {
        let rows = try await pool.query("SELECT \(unsafeRaw: Self.alertColumns) FROM alerts WHERE id = \(id)", idempotent: true)
        return try rows.first.map { row throws(PostgresError) in try Self.decodeAlert(row) }
    }

    static func decodeAlert(_ row: PostgresRow) throws(PostgresError) -> AlertRecord {
        let (id, fp, budget, state, level, body, updated) = try row.decode((Int64, String, String, String, Int, String, Date).self)
        return AlertRecord(id: id, fingerprint: fp, budgetID: budget, state: state, level: level, body: body, updatedAt: updated)
    }
}
