import Foundation
import TPGWCore

extension PostgresStore {
    /// Every package's latest state, or one source's. A listed package is observed at its source's last success;
    /// a released one at the time it vanished.
    package func latestPackages(source: SourceID? = nil) async throws -> [PackageState] {
        // One query text for both cases: a NULL source matches every source.
        let rows = try await pool.query("""
            SELECT p.provider, p.account, p.region, p.package_id, p.policy, p.line_type, p.status, p.capacity_bytes, p.used_bytes,
                   p.created_at, p.activated_at, p.expires_at, coalesce(p.released_at, greatest(s.last_success_at, p.last_seen_at))
            FROM packages p JOIN sources s ON s.id = p.source_id
            WHERE \(source?.provider)::text IS NULL
               OR (s.provider = \(source?.provider) AND s.account = \(source?.account) AND s.region = \(source?.region))
            """, idempotent: true)
        var out: [PackageState] = []
        out.reserveCapacity(rows.count)
        // Column by column rather than one tuple decode: specialised calls, measurably cheaper at 100,000 rows.
        for row in rows {
            out.append(PackageState(
                key: PackageKey(
                    provider: try row.decode(String.self, at: 0), account: try row.decode(String.self, at: 1),
                    region: try row.decode(String.self, at: 2), id: try row.decode(String.self, at: 3)),
                policy: PackagePolicy(rawValue: try row.decode(String.self, at: 4)) ?? .fullTime,
                lineType: try row.decode(String.self, at: 5),
                status: PackageStatus(rawValue: try row.decode(String.self, at: 6)) ?? .active,
                capacityBytes: try row.decode(Int64.self, at: 7), usedBytes: try row.decode(Int64.self, at: 8),
                createdAt: try row.decode(Date.self, at: 9), activatedAt: try row.decode(Date?.self, at: 10),
                expiresAt: try row.decode(Date.self, at: 11), observedAt: try row.decode(Date.self, at: 12)))
        }
        return out
    }

    /// For each active package (of every source, or of one), the snapshots a burn rate is measured from: its first
    /// one inside its forecast window, and its last one before the window when the forecaster can need it.
    ///
    /// The window is `Forecaster`'s: the `window` seconds before the package's latest observation (or before `now`
    /// when that is earlier), so a source that has not answered for hours still forecasts from its last day of data.
    /// The earlier snapshot is looked up only when it can matter: the package was first seen before the window, and
    /// the window holds no snapshot older than the latest one (with two points in the window, `Forecaster` ignores
    /// anything older). Index probes are most of the cost of reading a view, so this halves them, and the packages
    /// are split into `parts` by id and read concurrently on as many connections.
    package func forecastBaselines(
        now: Date, window: TimeInterval = Forecaster.defaultWindow, source: SourceID? = nil, parts: Int = 2
    ) async throws -> [PackageKey: [Snapshot]] {
        let parts = max(1, parts)
        return try await withThrowingTaskGroup(of: [PackageKey: [Snapshot]].self) { group in
            for part in 0..<parts {
                group.addTask { try await self.forecastBaselines(now: now, window: window, source: source, part: part, of: parts) }
            }
            var out: [PackageKey: [Snapshot]] = [:]
            for try await piece in group {
                if out.isEmpty { out = piece } else { out.merge(piece) { a, _ in a } }
            }
            return out
        }
    }

    private func forecastBaselines(
        now: Date, window: TimeInterval, source: SourceID?, part: Int, of parts: Int
    ) async throws -> [PackageKey: [Snapshot]] {
        // One query text for every case: a NULL source matches every source.
        let rows = try await pool.query("""
            SELECT p.provider, p.account, p.region, p.package_id,
                   a.observed_at, a.used_bytes, a.capacity_bytes, a.status,
                   b.observed_at, b.used_bytes, b.capacity_bytes, b.status
            FROM sources s JOIN packages p ON p.source_id = s.id
            CROSS JOIN LATERAL (
                SELECT least(\(now)::timestamptz, coalesce(p.released_at, greatest(s.last_success_at, p.last_seen_at)))
                       - \(window) * interval '1 second' AS since) w
            LEFT JOIN LATERAL (
                SELECT observed_at, used_bytes, capacity_bytes, status FROM snapshots
                 WHERE package_pk = p.id AND observed_at >= w.since ORDER BY observed_at LIMIT 1) a ON true
            LEFT JOIN LATERAL (
                SELECT observed_at, used_bytes, capacity_bytes, status FROM snapshots
                 WHERE p.first_seen_at < w.since AND (a.observed_at IS NULL OR p.last_snapshot_at IS NULL OR a.observed_at >= p.last_snapshot_at)
                   AND package_pk = p.id AND observed_at < w.since ORDER BY observed_at DESC LIMIT 1) b ON true
            WHERE p.status = 'active' AND p.id % \(parts) = \(part)
              AND (a.observed_at IS NOT NULL OR b.observed_at IS NOT NULL)
              AND (\(source?.provider)::text IS NULL
                   OR (s.provider = \(source?.provider) AND s.account = \(source?.account) AND s.region = \(source?.region)))
            """, idempotent: true)
        var out: [PackageKey: [Snapshot]] = [:]
        out.reserveCapacity(rows.count)
        for row in rows {
            var snapshots: [Snapshot] = []
            for first in [4, 8] {
                guard let at = try row.decode(Date?.self, at: first) else { continue }
                snapshots.append(Snapshot(
                    observedAt: at, usedBytes: try row.decode(Int64.self, at: first + 1), capacityBytes: try row.decode(Int64.self, at: first + 2),
                    status: PackageStatus(rawValue: try row.decode(String.self, at: first + 3)) ?? .active))
            }
            let key = PackageKey(
                provider: try row.decode(String.self, at: 0), account: try row.decode(String.self, at: 1),
                region: try row.decode(String.self, at: 2), id: try row.decode(String.self, at: 3))
            out[key] = snapshots
        }
        return out
    }

    /// Per source, a cheap fingerprint of the data behind its part of the read views: it changes after every poll
    /// attempt of the source and every purchase in it.
    package func sourceVersions() async throws -> [SourceID: String] {
        let rows = try await pool.query("""
            SELECT s.provider, s.account, s.region,
                   coalesce(s.last_attempt_at::text, '') || ':' || coalesce(b.bought, 0)::text
            FROM sources s
            LEFT JOIN (SELECT account, region, count(*) AS bought FROM purchases WHERE state = 'succeeded' GROUP BY 1, 2) b
              ON b.account = s.account AND b.region = s.region AND s.provider = 'bce'
            """, idempotent: true)
        var out: [SourceID: String] = [:]
        for row in rows {
            let (provider, account, region, version) = try row.decode((String, String, String, String).self)
            out[SourceID(provider: provider, account: account, region: region)] = version
        }
        return out
    }

    /// Used-bytes observations of a package between `from` and `to`: raw snapshots where kept, hourly rollups
    /// (their last value in the hour) where compacted.
    package func usageObservations(key: PackageKey, from: Date, to: Date) async throws -> [(at: Date, usedBytes: Int64)] {
        let rows = try await pool.query("""
            WITH p AS (SELECT id FROM packages WHERE provider = \(key.provider) AND account = \(key.account)
                       AND region = \(key.region) AND package_id = \(key.id))
            SELECT observed_at, used_bytes FROM snapshots
             WHERE package_pk = (SELECT id FROM p) AND observed_at >= \(from) AND observed_at < \(to)
            UNION ALL
            SELECT last_observed_at, used_bytes_last FROM snapshot_hourly
             WHERE package_pk = (SELECT id FROM p) AND hour >= \(from) AND hour < \(to)
            ORDER BY 1
            """, idempotent: true)
        return try rows.map { row in
            let (at, used) = try row.decode((Date, Int64).self)
            return (at: at, usedBytes: used)
        }
    }

    /// Stores a package just bought, so it is visible before the next poll: its row and a first snapshot.
    package func recordPurchasedPackage(_ p: PackageState, raw: [UInt8]) async throws {
        let rawJSON = String(decoding: raw, as: UTF8.self)
        _ = try await pool.withTransaction { connection in
            try await connection.query("""
                WITH src AS (SELECT id FROM sources WHERE provider = \(p.key.provider) AND account = \(p.key.account) AND region = \(p.key.region)),
                pkg AS (
                  INSERT INTO packages (source_id, provider, account, region, package_id, policy, line_type, status, capacity_bytes,
                                        used_bytes, created_at, activated_at, expires_at, first_seen_at, last_seen_at, last_snapshot_at, raw)
                  SELECT src.id, \(p.key.provider), \(p.key.account), \(p.key.region), \(p.key.id), \(p.policy.rawValue), \(p.lineType),
                         \(p.status.rawValue), \(p.capacityBytes), \(p.usedBytes), \(p.createdAt), \(p.activatedAt), \(p.expiresAt),
                         \(p.observedAt), \(p.observedAt), \(p.observedAt), \(rawJSON)::jsonb
                  FROM src
                  ON CONFLICT (source_id, package_id) DO NOTHING
                  RETURNING id)
                INSERT INTO snapshots (package_pk, observed_at, used_bytes, capacity_bytes, status)
                SELECT id, \(p.observedAt), \(p.usedBytes), \(p.capacityBytes), \(p.status.rawValue) FROM pkg
                ON CONFLICT DO NOTHING
                """)
        }
    }
}
