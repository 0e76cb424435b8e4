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

    /// Used-bytes observations of some of one source's packages after a per-package instant, at most one per hour
    /// (the hour's last observation time and highest reading), from raw snapshots and, where those were compacted,
    /// the hourly rollups: what forecast features are (re)built from. Bounded: `since` should lie within the 28
    /// days the features use, so a package costs at most 672 rows.
    /// - Parameter since: package id -> only observations strictly after this instant.
    /// - Returns: package id -> observations in time order.
    package func forecastObservations(source: SourceID, since: [String: Date]) async throws -> [String: [(at: Date, usedBytes: Int64)]] {
        guard !since.isEmpty else { return [:] }
        let ids = Array(since.keys)
        let instants = ids.map { since[$0]! }
        let rows = try await pool.query("""
            WITH want AS (SELECT * FROM unnest(\(ids)::text[], \(instants)::timestamptz[]) AS w(package_id, since)),
            pk AS (SELECT p.id, p.package_id, w.since FROM sources s JOIN packages p ON p.source_id = s.id
                   JOIN want w ON w.package_id = p.package_id
                   WHERE s.provider = \(source.provider) AND s.account = \(source.account) AND s.region = \(source.region))
            SELECT pk.package_id, o.at, o.used FROM pk CROSS JOIN LATERAL (
                SELECT max(observed_at) AS at, max(used_bytes) AS used FROM snapshots
                 WHERE package_pk = pk.id AND observed_at > pk.since GROUP BY date_trunc('hour', observed_at)
                UNION ALL
                SELECT last_observed_at, used_bytes_last FROM snapshot_hourly
                 WHERE package_pk = pk.id AND last_observed_at > pk.since) o
            ORDER BY 1, 2
            """, idempotent: true)
        var out: [String: [(at: Date, usedBytes: Int64)]] = [:]
        for row in rows {
            let id = try row.decode(String.self, at: 0)
            out[id, default: []].append((at: try row.decode(Date.self, at: 1), usedBytes: try row.decode(Int64.self, at: 2)))
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
