import Foundation
import TPGWCore

extension PostgresStore {
    static let deliveryColumns = """
        id, seq, alert_id, channel_id, event_kind, payload::text, state, attempts, created_at, next_attempt_at, claimed_by, \
        claim_until, delivered_at, folded_into, last_error, budget_id
        """

    /// Claims the due deliveries of up to `limit` groups for `owner`, oldest due first: a group is a (channel,
    /// budget) pair (a row without a budget is a group alone), and every due row of a claimed group is taken, so
    /// the group goes out as one message; the groups' `last_flush_at` becomes `now`. Due-ness is decided by `now`
    /// (the dispatcher's clock, which scheduled the retries); the lease runs on the database's clock (`now() +
    /// lease`), so replicas with skewed clocks agree on when a claim ran out. Rows another dispatcher holds (locked,
    /// or leased), and rows of `excludingChannels` (channels this dispatcher is still sending to), are skipped; a
    /// lease that ran out without a recorded result makes the row due again (at-least-once).
    package func claimDeliveries(
        owner: String, now: Date, lease: TimeInterval, limit: Int, excludingChannels: [String] = []
    ) async throws -> [DeliveryRecord] {
        try await pool.withTransaction { connection in
            let rows = try await connection.query("""
                WITH due AS (
                    SELECT channel_id, coalesce(budget_id, id) AS grp, min(next_attempt_at) AS first_due, min(seq) AS first_seq
                    FROM deliveries
                    WHERE state = 'pending' AND next_attempt_at <= \(now) AND (claim_until IS NULL OR claim_until <= now())
                      AND NOT (channel_id = ANY(\(excludingChannels)::text[]))
                    GROUP BY 1, 2 ORDER BY first_due, first_seq LIMIT \(limit)
                ), picked AS (
                    SELECT d.id FROM deliveries d JOIN due ON d.channel_id = due.channel_id AND coalesce(d.budget_id, d.id) = due.grp
                    WHERE d.state = 'pending' AND d.next_attempt_at <= \(now) AND (d.claim_until IS NULL OR d.claim_until <= now())
                    FOR UPDATE OF d SKIP LOCKED
                )
                UPDATE deliveries SET claimed_by = \(owner), claim_until = clock_timestamp() + make_interval(secs => \(lease))
                WHERE id IN (SELECT id FROM picked)
                RETURNING \(unsafeRaw: Self.deliveryColumns)
                """)
            let claimed = try rows.map { row throws(PostgresError) in try Self.decodeDelivery(row) }.sorted { $0.seq < $1.seq }
            let groups = claimed.filter { $0.budgetID != nil && $0.attempts == 0 }
            if !groups.isEmpty {
                _ = try await connection.query("""
                    UPDATE alert_groups g SET last_flush_at = \(now), next_flush_at = NULL
                    FROM unnest(\(groups.map { $0.budgetID ?? "" })::text[], \(groups.map(\.channelID))::text[]) AS u(budget, channel)
                    WHERE g.budget_id = u.budget AND g.channel_id = u.channel AND (g.next_flush_at IS NULL OR g.next_flush_at <= \(now))
                    """)
            }
            return claimed
        }
    }

    /// Extends `owner`'s claims on these deliveries to `now() + lease` (database clock) while their send is in
    /// flight; rows already recorded or taken over are left alone. Returns how many claims were extended.
    @discardableResult
    package func renewClaims(ids: [String], owner: String, lease: TimeInterval) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let rows = try await pool.query("""
            UPDATE deliveries SET claim_until = now() + make_interval(secs => \(lease))
            WHERE id = ANY(\(ids)::text[]) AND claimed_by = \(owner) AND state = 'pending'
            RETURNING id
            """)
        return rows.count
    }

    /// Plans sends under every replica's shared send log: locks the channels' rows (in id order, so planners never
    /// deadlock), reads their sends since `now - window`, lets `plan` decide (given each channel's recent send
    /// times, it returns the send times it takes), stores those, and forgets sends older than the window.
    package func planChannelSends<T: Sendable>(
        channelIDs: [String], now: Date, window: TimeInterval,
        _ plan: @Sendable ([String: [Date]]) -> (result: T, taken: [String: [Date]])
    ) async throws -> T {
        let ids = Array(Set(channelIDs)).sorted()
        let since = now.addingTimeInterval(-window)
        return try await pool.withTransaction { connection in
            _ = try await connection.query("SELECT id FROM channels WHERE id = ANY(\(ids)::text[]) ORDER BY id FOR UPDATE")
            _ = try await connection.query("DELETE FROM channel_sends WHERE channel_id = ANY(\(ids)::text[]) AND sent_at <= \(since)")
            let rows = try await connection.query("""
                SELECT channel_id, sent_at FROM channel_sends WHERE channel_id = ANY(\(ids)::text[]) ORDER BY sent_at
                """)
            var sent: [String: [Date]] = [:]
            for row in rows {
                let (id, at) = try row.decode((String, Date).self)
                sent[id, default: []].append(at)
            }
            let (result, taken) = plan(sent)
            let pairs = taken.flatMap { id, times in times.map { (id, $0) } }
            if !pairs.isEmpty {
                _ = try await connection.query("""
                    INSERT INTO channel_sends (channel_id, sent_at)
                    SELECT * FROM unnest(\(pairs.map(\.0))::text[], \(pairs.map(\.1))::timestamptz[])
                    """)
            }
            return result
        }
    }

    /// Records results of claimed deliveries (only rows still claimed by `owner` change) and their attempts,
    /// in one transaction.
    package func recordDeliveries(_ updates: [DeliveryUpdate], owner: String) async throws {
        guard !updates.isEmpty else { return }
        let attempts = updates.compactMap(\.attempt)
        try await pool.withTransaction { connection in
            _ = try await connection.query("""
                UPDATE deliveries d
                SET state = u.state, next_attempt_at = u.next_at, delivered_at = u.delivered_at, last_error = u.err,
                    folded_into = u.folded, attempts = d.attempts + u.inc, claimed_by = NULL, claim_until = NULL
                FROM unnest(\(updates.map(\.id))::text[], \(updates.map(\.state))::text[], \(updates.map(\.nextAttemptAt))::timestamptz[],
                            \(updates.map(\.deliveredAt))::timestamptz[], \(updates.map(\.lastError))::text[],
                            \(updates.map(\.foldedInto))::text[], \(updates.map { $0.attempt == nil ? 0 : 1 })::int[])
                     AS u(id, state, next_at, delivered_at, err, folded, inc)
                WHERE d.id = u.id AND d.claimed_by = \(owner)
                """)
            if !attempts.isEmpty {
                _ = try await connection.query("""
                    INSERT INTO delivery_attempts (delivery_id, attempted_at, status, latency_ms, outcome, error, response_excerpt)
                    SELECT * FROM unnest(\(attempts.map(\.deliveryID))::text[], \(attempts.map(\.attemptedAt))::timestamptz[],
                                         \(attempts.map(\.status))::int[], \(attempts.map(\.latencyMs))::int[], \(attempts.map(\.outcome))::text[],
                                         \(attempts.map(\.error))::text[], \(attempts.map(\.responseExcerpt))::text[])
                    """)
            }
        }
    }

    /// A page of deliveries, newest first, optionally of one state or one alert.
    package func deliveries(state: String? = nil, alertID: Int64? = nil, beforeSeq: Int64? = nil, limit: Int) async throws -> [DeliveryRecord] {
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: Self.deliveryColumns) FROM deliveries
            WHERE (\(state)::text IS NULL OR state = \(state)) AND (\(alertID)::int8 IS NULL OR alert_id = \(alertID))
              AND seq < \(beforeSeq ?? Int64.max)
            ORDER BY seq DESC LIMIT \(limit)
            """, idempotent: true)
        return try rows.map { row throws(PostgresError) in try Self.decodeDelivery(row) }
    }

    /// Attempts of these deliveries, oldest first.
    package func deliveryAttempts(deliveryIDs: [String]) async throws -> [DeliveryAttemptRecord] {
        guard !deliveryIDs.isEmpty else { return [] }
        let rows = try await pool.query("""
            SELECT delivery_id, attempted_at, status, latency_ms, outcome, error, response_excerpt FROM delivery_attempts
            WHERE delivery_id = ANY(\(deliveryIDs)::text[]) ORDER BY id
            """, idempotent: true)
        return try rows.map { row throws(PostgresError) in
            let (id, at, status, latency, outcome, error, excerpt) = try row.decode((String, Date, Int?, Int, String, String?, String?).self)
            return DeliveryAttemptRecord(
                deliveryID: id, attemptedAt: at, status: status, latencyMs: latency, outcome: outcome, error: error, responseExcerpt: excerpt)
        }
    }

    /// Deliveries per state (for metrics and tests).
    package func deliveryCounts() async throws -> [String: Int] {
        let rows = try await pool.query("SELECT state, count(*)::int8 FROM deliveries GROUP BY state", idempotent: true)
        var out: [String: Int] = [:]
        for row in rows {
            let (state, n) = try row.decode((String, Int64).self)
            out[state] = Int(n)
        }
        return out
    }

    static func decodeDelivery(_ row: PostgresRow) throws(PostgresError) -> DeliveryRecord {
        let id = try row.decode(String.self, at: 0)
        let seq = try row.decode(Int64.self, at: 1)
        let alertID = try row.decode(Int64?.self, at: 2)
        let channel = try row.decode(String.self, at: 3)
        let kind = try row.decode(String.self, at: 4)
        let payload = try row.decode(String.self, at: 5)
        let state = try row.decode(String.self, at: 6)
        let attempts = try row.decode(Int.self, at: 7)
        let created = try row.decode(Date.self, at: 8)
        let next = try row.decode(Date.self, at: 9)
        let claimedBy = try row.decode(String?.self, at: 10)
        let claimUntil = try row.decode(Date?.self, at: 11)
        let delivered = try row.decode(Date?.self, at: 12)
        let folded = try row.decode(String?.self, at: 13)
        let error = try row.decode(String?.self, at: 14)
        let budget = try row.decode(String?.self, at: 15)
        return DeliveryRecord(
            id: id, seq: seq, alertID: alertID, channelID: channel, eventKind: kind, payload: payload, state: state, attempts: attempts,
            createdAt: created, nextAttemptAt: next, claimedBy: claimedBy, claimUntil: claimUntil, deliveredAt: delivered,
            foldedInto: folded, lastError: error, budgetID: budget)
    }
}
