import Foundation
import TPGWCore

extension PostgresStore {
    /// Every enabled source with its health, ordered by provider, account, region.
    package func sources() async throws(PostgresError) -> [SourceHealth] {
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: Self.sourceColumns) FROM sources
            WHERE enabled
            ORDER BY provider, account, region
            """, idempotent: true)
        return try rows.map { row throws(PostgresError) in try Self.decodeSource(row) }
    }

    /// Claims up to `limit` enabled sources that are due, for `owner`. Each claim moves the source's
    /// `next_poll_at` one interval on (anchored to the previous due time, so the cadence does not
    /// drift), so across all replicas a source is handed out once per interval. `FOR UPDATE SKIP
    /// LOCKED` lets replicas claim concurrently without waiting on each other. The database clock
    /// decides what is due, so replicas' clocks need not agree.
    ///
    /// A claim is a lease of `leaseSeconds`; a finished poll (success or failure) clears it. A lease
    /// that ran out without a finished poll (its replica died) makes the source claimable again at
    /// once, keeping its next slot, so another replica takes over without waiting a whole interval.
    ///
    /// With `only`, just those sources are claimed: a replica polls only what its own configuration names (with
    /// its own endpoint and credentials); a source is enabled while any live replica names it (`heartbeatSources`).
    /// `now` replaces the database clock (tests that drive the schedule with a manual clock); nil in production.
    package func claimDueSources(
        owner: String, limit: Int, leaseSeconds: Double = 120, only: [SourceID]? = nil, now: Date? = nil
    ) async throws(PostgresError) -> [SourceClaim] {
        let keys = only?.map(\.description)
        let rows = try await pool.query("""
            UPDATE sources AS s
            SET next_poll_at = CASE
                    WHEN s.next_poll_at > coalesce(\(now)::timestamptz, now()) THEN s.next_poll_at
                    WHEN s.next_poll_at + make_interval(secs => s.poll_interval_seconds) > coalesce(\(now)::timestamptz, now())
                    THEN s.next_poll_at + make_interval(secs => s.poll_interval_seconds)
                    ELSE coalesce(\(now)::timestamptz, now()) + make_interval(secs => s.poll_interval_seconds) END,
                lease_owner = \(owner), lease_until = coalesce(\(now)::timestamptz, now()) + make_interval(secs => \(leaseSeconds))
            FROM (SELECT id FROM sources WHERE enabled AND (next_poll_at <= coalesce(\(now)::timestamptz, now()) OR lease_until < coalesce(\(now)::timestamptz, now()))
                  AND (\(keys)::text[] IS NULL OR provider || ':' || account || ':' || region = ANY(\(keys)::text[]))
                  ORDER BY least(next_poll_at, lease_until) LIMIT \(limit) FOR UPDATE SKIP LOCKED) AS due
            WHERE s.id = due.id
            RETURNING s.provider, s.account, s.region, s.endpoint, s.poll_interval_seconds, s.next_poll_at
            """)
        return try rows.map { row throws(PostgresError) in
            let (provider, account, region, endpoint, interval, next) = try row.decode((String, String, String, String, Int, Date).self)
            return SourceClaim(
                config: SourceConfig(id: SourceID(provider: provider, account: account, region: region), endpoint: endpoint, pollIntervalSeconds: interval),
                nextPollAt: next)
        }
    }

    /// Gives up `owner`'s claim on `source` without a poll (shutdown): the source is due again now,
    /// so another replica polls it at once.
    package func releaseClaim(_ source: SourceID, owner: String) async throws(PostgresError) {
        _ = try await pool.query("""
            UPDATE sources SET lease_owner = NULL, lease_until = NULL, next_poll_at = least(next_poll_at, now())
            WHERE provider = \(source.provider) AND account = \(source.account) AND region = \(source.region) AND lease_owner = \(owner)
            """)
    }

    /// When the earliest enabled source (of `only`, when given) is due, by the database clock, and the database's now.
    package func nextDue(only: [SourceID]? = nil, now: Date? = nil) async throws(PostgresError) -> (next: Date?, now: Date) {
        let keys = only?.map(\.description)
        let rows = try await pool.query("""
            SELECT (SELECT min(least(next_poll_at, lease_until)) FROM sources WHERE enabled
                    AND (\(keys)::text[] IS NULL OR provider || ':' || account || ':' || region = ANY(\(keys)::text[]))), coalesce(\(now)::timestamptz, now())
            """, idempotent: true)
        return try rows[0].decode((Date?, Date).self)
    }

    package static let sourceColumns = """
        provider, account, region, endpoint, poll_interval_seconds, enabled, last_attempt_at, last_success_at,
        last_error_code, last_error_message, last_error_at, consecutive_failures, last_latency_ms, next_poll_at, lease_owner
        """

    package static func decodeSource(_ row: PostgresRow) throws(PostgresError) -> SourceHealth {
        let (provider, account, region, endpoint, interval, enabled, attempt, success) =
            try row.decode((String, String, String, String, Int, Bool, Date?, Date?).self)
        let errorCode = try row.decode(String?.self, at: 8)
        let errorMessage = try row.decode(String?.self, at: 9)
        let errorAt = try row.decode(Date?.self, at: 10)
        return SourceHealth(
            id: SourceID(provider: provider, account: account, region: region), endpoint: endpoint, pollIntervalSeconds: interval,
            enabled: enabled, lastAttemptAt: attempt, lastSuccessAt: success,
            lastError: errorCode.map { SourceHealth.LastError(code: $0, message: errorMessage ?? "", at: errorAt) },
            consecutiveFailures: try row.decode(Int.self, at: 11), latencyMs: try row.decode(Int?.self, at: 12),
            nextPollAt: try row.decode(Date?.self, at: 13), leaseOwner: try row.decode(String?.self, at: 14))
    }

    /// `pool.withTransaction` for store methods that throw only `PostgresError`.
    func transaction<T>(attempts: Int = 1, _ body: (PostgresConnection) async throws(PostgresError) -> T) async throws(PostgresError) -> T {
        do {
            return try await pool.withTransaction(attempts: attempts) { connection in try await body(connection) }
        } catch let error as PostgresError {
            throw error
        } catch {
            throw PostgresError(.server, "transaction failed: \(type(of: error))")
        }
    }
}
