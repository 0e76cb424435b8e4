import Foundation
import TPGWCore

extension PostgresStore {
    /// Raw snapshots of one package with `from <= observedAt < to`, oldest first.
    package func snapshots(key: PackageKey, from: Date, to: Date) async throws(PostgresError) -> [Snapshot] {
        let rows = try await pool.query("""
            SELECT n.observed_at, n.used_bytes, n.capacity_bytes, n.status
            FROM snapshots n
            WHERE n.package_pk = (\(Self.packagePK(key))) AND n.observed_at >= \(from) AND n.observed_at < \(to)
            ORDER BY n.observed_at
            """, idempotent: true)
        return try rows.map { row throws(PostgresError) in try Self.decodeSnapshot(row, at: 0) }
    }

    /// Hourly usage of one package with `from <= hour < to`: compacted rollups for old hours and
    /// raw snapshots aggregated on the fly for recent ones, oldest first.
    package func hourlyUsage(key: PackageKey, from: Date, to: Date) async throws(PostgresError) -> [HourlyUsage] {
        let rows = try await pool.query("""
            WITH pk AS (\(Self.packagePK(key)))
            SELECT h.hour, h.used_bytes_min, h.used_bytes_max, h.used_bytes_last, h.capacity_bytes, h.status, h.samples
            FROM snapshot_hourly h
            WHERE h.package_pk = (SELECT id FROM pk) AND h.hour >= date_trunc('hour', \(from)::timestamptz) AND h.hour < \(to)
            UNION ALL
            SELECT date_trunc('hour', n.observed_at), min(n.used_bytes), max(n.used_bytes),
                   (array_agg(n.used_bytes ORDER BY n.observed_at DESC))[1], (array_agg(n.capacity_bytes ORDER BY n.observed_at DESC))[1],
                   (array_agg(n.status ORDER BY n.observed_at DESC))[1], count(*)::int
            FROM snapshots n
            WHERE n.package_pk = (SELECT id FROM pk) AND n.observed_at >= date_trunc('hour', \(from)::timestamptz) AND n.observed_at < \(to)
            GROUP BY 1
            ORDER BY 1
            """, idempotent: true)
        return try rows.map { row throws(PostgresError) in
            let (hour, min, max, last, capacity, status, samples) = try row.decode((Date, Int64, Int64, Int64, Int64, String, Int).self)
            return HourlyUsage(hour: hour, usedBytesMin: min, usedBytesMax: max, usedBytesLast: last, capacityBytes: capacity,
                               status: PackageStatus(rawValue: status) ?? .active, samples: samples)
        }
    }

    /// Snapshots since `since` of every package of `source`, in one query, oldest first per package
    /// (for burn-rate forecasts). Each package's last snapshot before `since` is included as a
    /// baseline, so a package that did not change in the window still has a starting point.
    package func recentSnapshots(source: SourceID, since: Date) async throws(PostgresError) -> [PackageKey: [Snapshot]] {
        let rows = try await pool.query("""
            SELECT p.package_id, n.observed_at, n.used_bytes, n.capacity_bytes, n.status
            FROM sources s
            JOIN packages p ON p.source_id = s.id
            CROSS JOIN LATERAL (
                (SELECT b.observed_at, b.used_bytes, b.capacity_bytes, b.status FROM snapshots b
                 WHERE b.package_pk = p.id AND b.observed_at < \(since) ORDER BY b.observed_at DESC LIMIT 1)
                UNION ALL
                (SELECT w.observed_at, w.used_bytes, w.capacity_bytes, w.status FROM snapshots w
                 WHERE w.package_pk = p.id AND w.observed_at >= \(since))
            ) n
            WHERE s.provider = \(source.provider) AND s.account = \(source.account) AND s.region = \(source.region)
            ORDER BY p.package_id, n.observed_at
            """, idempotent: true)
        var out: [PackageKey: [Snapshot]] = [:]
        for row in rows {
            let id = try row.decode(String.self, at: 0)
            let key = PackageKey(provider: source.provider, account: source.account, region: source.region, id: id)
            out[key, default: []].append(try Self.decodeSnapshot(row, at: 1))
        }
        return out
    }

    /// `recentSnapshots(source:since:)` for a set of packages (any sources).
    package func recentSnapshots(keys: [PackageKey], since: Date) async throws(PostgresError) -> [PackageKey: [Snapshot]] {
        guard !keys.isEmpty else { return [:] }
        let rows = try await pool.query("""
            SELECT k.provider, k.account, k.region, k.package_id, n.observed_at, n.used_bytes, n.capacity_bytes, n.status
            FROM unnest(\(keys.map(\.provider))::text[], \(keys.map(\.account))::text[], \(keys.map(\.region))::text[], \(keys.map(\.id))::text[])
                 AS k(provider, account, region, package_id)
            JOIN sources s ON s.provider = k.provider AND s.account = k.account AND s.region = k.region
            JOIN packages p ON p.source_id = s.id AND p.package_id = k.package_id
            CROSS JOIN LATERAL (
                (SELECT b.observed_at, b.used_bytes, b.capacity_bytes, b.status FROM snapshots b
                 WHERE b.package_pk = p.id AND b.observed_at < \(since) ORDER BY b.observed_at DESC LIMIT 1)
                UNION ALL
                (SELECT w.observed_at, w.used_bytes, w.capacity_bytes, w.status FROM snapshots w
                 WHERE w.package_pk = p.id AND w.observed_at >= \(since))
            ) n
            ORDER BY 1, 2, 3, 4, n.observed_at
            """, idempotent: true)
        var out: [PackageKey: [Snapshot]] = [:]
        for row in rows {
            let (provider, account, region, id) = try row.decode((String, String, String, String).self)
            out[PackageKey(provider: provider, account: account, region: region, id: id), default: []].append(try Self.decodeSnapshot(row, at: 4))
        }
        return out
    }

    /// A subquery giving the row id of `key`.
    static func packagePK(_ key: PackageKey) -> PostgresQuery {
        """
        SELECT p.id FROM packages p JOIN sources s ON s.id = p.source_id
        WHERE s.provider = \(key.provider) AND s.account = \(key.account) AND s.region = \(key.region) AND p.package_id = \(key.id)
        """
    }

    static func decodeSnapshot(_ row: PostgresRow, at column: Int) throws(PostgresError) -> Snapshot {
        Snapshot(
            observedAt: try row.decode(Date.self, at: column), usedBytes: try row.decode(Int64.self, at: column + 1),
            capacityBytes: try row.decode(Int64.self, at: column + 2),
            status: PackageStatus(rawValue: try row.decode(String.self, at: column + 3)) ?? .active)
    }
}
