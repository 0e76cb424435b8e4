import Foundation
import TPGWCore
import TPGWStore

/// Seeding and read-backs that only tests need; the gateway registers sources by heartbeat
/// (`heartbeatSources`) and reads packages through its views (`latestPackages`, `forecastObservations`).
extension PostgresStore {
    /// Registers or updates sources (endpoint, interval) and enables them, without claims. A new source is first due
    /// at a random point within `initialJitter` of its interval (0...1).
    package func upsertSources(_ configs: [SourceConfig], initialJitter: Double = 0) async throws {
        _ = try await pool.query("""
            INSERT INTO sources AS s (provider, account, region, endpoint, poll_interval_seconds, next_poll_at)
            SELECT t.provider, t.account, t.region, t.endpoint, t.interval, now() + make_interval(secs => random() * \(min(1, max(0, initialJitter))) * t.interval)
            FROM unnest(\(configs.map(\.id.provider))::text[], \(configs.map(\.id.account))::text[], \(configs.map(\.id.region))::text[],
                        \(configs.map(\.endpoint))::text[], \(configs.map { Int64($0.pollIntervalSeconds) })::int8[])
                 AS t(provider, account, region, endpoint, interval)
            ON CONFLICT (provider, account, region) DO UPDATE
            SET endpoint = excluded.endpoint, poll_interval_seconds = excluded.poll_interval_seconds, enabled = true,
                next_poll_at = CASE WHEN s.poll_interval_seconds <> excluded.poll_interval_seconds
                                    THEN least(s.next_poll_at, now() + make_interval(secs => excluded.poll_interval_seconds))
                                    ELSE s.next_poll_at END
            """)
    }

    /// The replicas whose claims on `source` were renewed after `since`, with when.
    package func sourceClaims(_ source: SourceID, since: Date) async throws -> [(replica: String, seenAt: Date)] {
        let rows = try await pool.query("""
            SELECT c.replica, c.seen_at FROM source_claims c JOIN sources s ON s.id = c.source_id
            WHERE s.provider = \(source.provider) AND s.account = \(source.account) AND s.region = \(source.region) AND c.seen_at > \(since)
            ORDER BY c.replica
            """)
        return try rows.map { row in
            let (replica, seenAt) = try row.decode((String, Date).self)
            return (replica, seenAt)
        }
    }

    /// One package's latest state as the views read it, or nil.
    package func package(key: PackageKey) async throws -> PackageState? {
        try await latestPackages(source: key.source).first { $0.key == key }
    }

    /// Every package of `regions` (all when nil) as the views read them, in key order.
    package func packages(regions: Set<String>? = nil) async throws -> [PackageState] {
        try await latestPackages().filter { regions?.contains($0.key.region) ?? true }.sorted { $0.key.description < $1.key.description }
    }

    /// A package's bookkeeping row: the stored upstream JSON, when it was last listed and when it vanished.
    package func packageRow(key: PackageKey) async throws -> (raw: String, lastSeenAt: Date, releasedAt: Date?)? {
        let rows = try await pool.query("""
            SELECT p.raw::text, p.last_seen_at, p.released_at FROM packages p
            WHERE p.provider = \(key.provider) AND p.account = \(key.account) AND p.region = \(key.region) AND p.package_id = \(key.id)
            """)
        guard let row = rows.first else { return nil }
        let (raw, lastSeenAt, releasedAt) = try row.decode((String, Date, Date?).self)
        return (raw, lastSeenAt, releasedAt)
    }

    /// Raw snapshots of one package with `from <= observedAt < to`, oldest first.
    package func snapshots(key: PackageKey, from: Date, to: Date) async throws -> [Snapshot] {
        let rows = try await pool.query("""
            SELECT n.observed_at, n.used_bytes, n.capacity_bytes, n.status
            FROM snapshots n JOIN packages p ON p.id = n.package_pk
            WHERE p.provider = \(key.provider) AND p.account = \(key.account) AND p.region = \(key.region) AND p.package_id = \(key.id)
              AND n.observed_at >= \(from) AND n.observed_at < \(to)
            ORDER BY n.observed_at
            """)
        return try rows.map { row in
            let (at, used, capacity, status) = try row.decode((Date, Int64, Int64, String).self)
            return Snapshot(observedAt: at, usedBytes: used, capacityBytes: capacity, status: PackageStatus(rawValue: status) ?? .active)
        }
    }

    /// Every snapshot since `since` of every package of `source`, oldest first per package, with each package's last
    /// snapshot before `since` as a baseline.
    package func recentSnapshots(source: SourceID, since: Date) async throws -> [PackageKey: [Snapshot]] {
        let rows = try await pool.query("""
            SELECT p.package_id, n.observed_at, n.used_bytes, n.capacity_bytes, n.status
            FROM packages p
            CROSS JOIN LATERAL (
                (SELECT b.observed_at, b.used_bytes, b.capacity_bytes, b.status FROM snapshots b
                 WHERE b.package_pk = p.id AND b.observed_at < \(since) ORDER BY b.observed_at DESC LIMIT 1)
                UNION ALL
                (SELECT w.observed_at, w.used_bytes, w.capacity_bytes, w.status FROM snapshots w
                 WHERE w.package_pk = p.id AND w.observed_at >= \(since))
            ) n
            WHERE p.provider = \(source.provider) AND p.account = \(source.account) AND p.region = \(source.region)
            ORDER BY p.package_id, n.observed_at
            """)
        var out: [PackageKey: [Snapshot]] = [:]
        for row in rows {
            let (id, at, used, capacity, status) = try row.decode((String, Date, Int64, Int64, String).self)
            let key = PackageKey(provider: source.provider, account: source.account, region: source.region, id: id)
            out[key, default: []].append(
                Snapshot(observedAt: at, usedBytes: used, capacityBytes: capacity, status: PackageStatus(rawValue: status) ?? .active))
        }
        return out
    }

    /// One source's health (enabled or not), or nil when it is not registered.
    package func source(_ id: SourceID) async throws(PostgresError) -> SourceHealth? {
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: Self.sourceColumns) FROM sources
            WHERE provider = \(id.provider) AND account = \(id.account) AND region = \(id.region)
            """, idempotent: true)
        return try rows.first.map { row throws(PostgresError) in try Self.decodeSource(row) }
    }

    /// The latest poll runs, newest first; all sources when `source` is nil.
    package func pollRuns(source: SourceID? = nil, limit: Int = 100) async throws(PostgresError) -> [PollRun] {
        let rows = try await pool.query("""
            SELECT r.id, s.provider, s.account, s.region, r.started_at, r.finished_at, r.outcome, r.error_code, r.error_message,
                   r.packages_seen, r.snapshots_written, r.packages_released, r.replica
            FROM poll_runs r JOIN sources s ON s.id = r.source_id
            WHERE \(source == nil) OR (s.provider = \(source?.provider) AND s.account = \(source?.account) AND s.region = \(source?.region))
            ORDER BY r.started_at DESC, r.id DESC
            LIMIT \(limit)
            """, idempotent: true)
        return try rows.map { row throws(PostgresError) in
            let (id, provider, account, region, started, finished, outcome) = try row.decode((Int64, String, String, String, Date, Date, String).self)
            return PollRun(
                id: id, source: SourceID(provider: provider, account: account, region: region), startedAt: started, finishedAt: finished,
                outcome: PollRunOutcome(rawValue: outcome) ?? .readFailed, errorCode: try row.decode(String?.self, at: 7),
                errorMessage: try row.decode(String?.self, at: 8), packagesSeen: try row.decode(Int.self, at: 9),
                snapshotsWritten: try row.decode(Int.self, at: 10), packagesReleased: try row.decode(Int.self, at: 11),
                replica: try row.decode(String?.self, at: 12))
        }
    }
}
