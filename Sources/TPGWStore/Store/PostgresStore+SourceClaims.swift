import Foundation
import TPGWCore

extension PostgresStore {
    /// One replica's heartbeat: `replica` names exactly `configs` as of `now`.
    ///
    /// In one transaction: registers sources no one registered yet (a new one is first due at a random point
    /// within `initialJitter` of its interval), renews this replica's claims and drops its claims on sources its
    /// configuration no longer names, then sets every source's `enabled` from the live claims: a source is enabled
    /// while some claim on it was renewed after `now - liveFor`, and disabled once none was. Its interval becomes
    /// the shortest any live claim asks for, and its stored endpoint (shown by the API; never used to poll) that of
    /// the latest live claim. Claims stale for a day are forgotten.
    ///
    /// `now` is passed in so that tests decide liveness without sleeping; replicas' clocks should agree to well
    /// within `liveFor`.
    @discardableResult
    package func heartbeatSources(
        replica: String, configs: [SourceConfig], now: Date, liveFor: TimeInterval, initialJitter: Double = 0
    ) async throws(PostgresError) -> SourceClaimChanges {
        let providers = configs.map(\.id.provider)
        let accounts = configs.map(\.id.account)
        let regions = configs.map(\.id.region)
        let endpoints = configs.map(\.endpoint)
        let intervals = configs.map { Int64($0.pollIntervalSeconds) }
        let liveSince = now.addingTimeInterval(-liveFor)
        let forgetBefore = now.addingTimeInterval(-86_400)
        return try await transaction(attempts: 3) { connection throws(PostgresError) in
            // Heartbeats are rare and small: taking them one at a time keeps two replicas' updates of the same
            // sources from deadlocking.
            _ = try await connection.query("SELECT pg_advisory_xact_lock(hashtext('tpgw.source_claims'))")
            _ = try await connection.query("""
                INSERT INTO sources (provider, account, region, endpoint, poll_interval_seconds, next_poll_at)
                SELECT t.provider, t.account, t.region, t.endpoint, t.interval,
                       now() + make_interval(secs => random() * \(min(1, max(0, initialJitter))) * t.interval)
                FROM unnest(\(providers)::text[], \(accounts)::text[], \(regions)::text[], \(endpoints)::text[], \(intervals)::int8[])
                     AS t(provider, account, region, endpoint, interval)
                ON CONFLICT (provider, account, region) DO NOTHING
                """)
            _ = try await connection.query("""
                INSERT INTO source_claims (replica, source_id, endpoint, poll_interval_seconds, seen_at)
                SELECT \(replica), s.id, t.endpoint, t.interval, \(now)
                FROM unnest(\(providers)::text[], \(accounts)::text[], \(regions)::text[], \(endpoints)::text[], \(intervals)::int8[])
                     AS t(provider, account, region, endpoint, interval)
                JOIN sources s ON s.provider = t.provider AND s.account = t.account AND s.region = t.region
                ON CONFLICT (replica, source_id) DO UPDATE
                SET endpoint = excluded.endpoint, poll_interval_seconds = excluded.poll_interval_seconds, seen_at = excluded.seen_at
                """)
            _ = try await connection.query("""
                DELETE FROM source_claims c USING sources s
                WHERE c.source_id = s.id AND (
                    (c.replica = \(replica) AND NOT (s.provider || ':' || s.account || ':' || s.region = ANY(\(configs.map(\.id.description))::text[])))
                    OR c.seen_at < \(forgetBefore))
                """)
            let rows = try await connection.query("""
                WITH live AS (
                    SELECT s.id, s.enabled AS was,
                           count(c.source_id) > 0 AS live,
                           min(c.poll_interval_seconds) AS interval,
                           (array_agg(c.endpoint ORDER BY c.seen_at DESC, c.replica))[1] AS endpoint
                    FROM sources s LEFT JOIN source_claims c ON c.source_id = s.id AND c.seen_at > \(liveSince)
                    GROUP BY s.id, s.enabled)
                UPDATE sources s
                SET enabled = l.live,
                    poll_interval_seconds = coalesce(l.interval, s.poll_interval_seconds),
                    endpoint = coalesce(l.endpoint, s.endpoint),
                    next_poll_at = CASE WHEN l.interval IS NOT NULL AND l.interval <> s.poll_interval_seconds
                                        THEN least(s.next_poll_at, now() + make_interval(secs => l.interval))
                                        ELSE s.next_poll_at END
                FROM live l
                WHERE s.id = l.id AND (s.enabled <> l.live OR s.poll_interval_seconds <> coalesce(l.interval, s.poll_interval_seconds)
                                       OR s.endpoint <> coalesce(l.endpoint, s.endpoint))
                RETURNING s.provider, s.account, s.region, s.enabled, l.was
                """)
            var changes = SourceClaimChanges()
            for row in rows {
                let (provider, account, region, enabled, before) = try row.decode((String, String, String, Bool, Bool).self)
                guard enabled != before else { continue }
                let id = SourceID(provider: provider, account: account, region: region)
                if enabled { changes.enabled.append(id) } else { changes.disabled.append(id) }
            }
            return changes
        }
    }
}
