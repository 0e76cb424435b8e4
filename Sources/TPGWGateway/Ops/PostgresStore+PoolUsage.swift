import Foundation
import TPGWCore
import TPGWStore

extension PostgresStore {
    /// Bytes used per pool and time bucket over the status page's window (`PoolUsage.window`), in two queries:
    /// when the oldest enabled source was registered, then per-package increases between buckets summed per source.
    ///
    /// Reads raw snapshots only (kept 90 days by default, far beyond the 7-day window). A package's first bucket
    /// is measured from its last snapshot in the two hours before the window (snapshots are written at least
    /// hourly), so a package first seen inside the window counts from its first observation.
    func poolUsage(now: Date) async throws -> PoolUsage {
        let first = try await pool.query("SELECT min(created_at) FROM sources WHERE enabled", idempotent: true)
        let since = try first.first.flatMap { try $0.decode(Date?.self, at: 0) }
        let window = PoolUsage.window(now: now, watchingSince: since)
        var usage = PoolUsage(windowStart: window.start, bucketSeconds: window.bucketSeconds, bucketCount: window.bucketCount)
        let end = window.start.addingTimeInterval(Double(window.bucketSeconds * window.bucketCount))
        let rows = try await pool.query("""
            WITH obs AS (
                SELECT n.package_pk,
                       date_bin(\(window.bucketSeconds)::int * interval '1 second', n.observed_at, timestamptz 'epoch') AS bucket,
                       max(n.used_bytes) AS used
                FROM snapshots n
                WHERE n.observed_at >= \(window.start.addingTimeInterval(-7200))::timestamptz AND n.observed_at < \(end)::timestamptz
                GROUP BY 1, 2
            ), deltas AS (
                SELECT package_pk, bucket, used - lag(used) OVER (PARTITION BY package_pk ORDER BY bucket) AS delta FROM obs
            )
            SELECT p.provider, p.account, p.region, d.bucket, sum(greatest(d.delta, 0))::bigint
            FROM deltas d JOIN packages p ON p.id = d.package_pk
            WHERE d.delta IS NOT NULL AND d.bucket >= \(window.start)::timestamptz
            GROUP BY 1, 2, 3, 4
            """, idempotent: true)
        for row in rows {
            let (provider, account, region, bucket, bytes) = try row.decode((String, String, String, Date, Int64).self)
            usage.add(source: SourceID(provider: provider, account: account, region: region), bucketStart: bucket, bytes: bytes)
        }
        return usage
    }
}
