import Foundation
import TPGWCore

/// Why a delivery cannot be re-driven.
package enum DeliveryRetryRefusal: Error, Sendable, Equatable {
    case notFound
    /// Only dead and failed deliveries are re-driven; this one is `state`.
    case notRetryable(state: String)
}

extension PostgresStore {
    /// Re-drives a dead or failed delivery: it and the rows its message carried (`folded_into` it) become pending
    /// and due at `now`, unclaimed, keeping their ids and attempt history (new attempts are added). With its audit
    /// entry, in one transaction.
    package func retryDelivery(id: String, now: Date, audit: AuditEntry? = nil) async throws -> Result<DeliveryRecord, DeliveryRetryRefusal> {
        try await pool.withTransaction { connection in
            let found = try await connection.query("SELECT \(unsafeRaw: Self.deliveryColumns) FROM deliveries WHERE id = \(id) FOR UPDATE")
            guard let row = found.first else { return .failure(.notFound) }
            let before = try Self.decodeDelivery(row)
            guard before.state == "dead" || before.state == "failed" else { return .failure(.notRetryable(state: before.state)) }
            let rows = try await connection.query("""
                UPDATE deliveries SET state = 'pending', next_attempt_at = \(now), claimed_by = NULL, claim_until = NULL,
                    folded_into = NULL
                WHERE (id = \(id) OR folded_into = \(id)) AND state IN ('dead', 'failed')
                RETURNING \(unsafeRaw: Self.deliveryColumns)
                """)
            let after = try rows.map { row throws(PostgresError) in try Self.decodeDelivery(row) }.first { $0.id == id } ?? before
            if let audit {
                try await Self.writeAudit(audit.with(
                    targetID: id, before: Self.deliveryJSON(before), after: Self.deliveryJSON(after, rows: rows.count)), on: connection)
            }
            return .success(after)
        }
    }

    /// Re-drives every delivery of a channel in `state` (dead or failed); returns how many. Audited as one entry.
    package func retryDeliveries(channelID: String, state: String, now: Date, audit: AuditEntry? = nil) async throws -> Int {
        try await pool.withTransaction { connection in
            let rows = try await connection.query("""
                UPDATE deliveries SET state = 'pending', next_attempt_at = \(now), claimed_by = NULL, claim_until = NULL,
                    folded_into = NULL
                WHERE channel_id = \(channelID) AND state = \(state)
                RETURNING id
                """)
            if let audit {
                try await Self.writeAudit(audit.with(
                    targetID: channelID, after: AuditJSON.object([("state", AuditJSON.string(state)), ("retried", String(rows.count))])),
                    on: connection)
            }
            return rows.count
        }
    }

    /// A delivery as an audit entry shows it (no payload: the alert's own history has it).
    static func deliveryJSON(_ d: DeliveryRecord, rows: Int? = nil) -> String {
        var fields: [(String, String)] = [
            ("state", AuditJSON.string(d.state)), ("channelId", AuditJSON.string(d.channelID)), ("attempts", String(d.attempts)),
            ("lastError", d.lastError.map(AuditJSON.string) ?? "null"),
        ]
        if let rows { fields.append(("rowsRetried", String(rows))) }
        return AuditJSON.object(fields)
    }
}
