import Foundation
import TPGWCore

/// One package's stored history as the forecast backtest reads it.
package struct ForecastHistory: Sendable {
    package var key: PackageKey
    package var policy: PackagePolicy
    package var capacityBytes: Int64
    package var createdAt: Date
    package var activatedAt: Date?
    package var expiresAt: Date
    /// Hourly observations (the hour's last observation time and highest reading), oldest first.
    package var observations: [(at: Date, usedBytes: Int64)]
}

extension PostgresStore {
    /// The packages seen between `from` and `to` (at most `limit`, chosen by a hash of their id so every source
    /// is sampled alike) with their observations in that span, at most one per hour: from raw snapshots and, where
    /// those were compacted, hourly rollups. Packages with an unknown policy are left out (never forecast).
    package func forecastHistory(from: Date, to: Date, limit: Int) async throws -> [ForecastHistory] {
        let rows = try await pool.query("""
            WITH chosen AS (
                SELECT id FROM packages
                 WHERE last_seen_at >= \(from) AND first_seen_at <= \(to) AND policy <> 'unknown'
                 ORDER BY md5(package_id), id LIMIT \(max(0, limit)))
            SELECT p.provider, p.account, p.region, p.package_id, p.policy, p.capacity_bytes, p.created_at, p.activated_at,
                   p.expires_at, o.at, o.used
            FROM chosen c JOIN packages p ON p.id = c.id CROSS JOIN LATERAL (
                SELECT max(observed_at) AS at, max(used_bytes) AS used FROM snapshots
                 WHERE package_pk = p.id AND observed_at >= \(from) AND observed_at <= \(to) GROUP BY date_trunc('hour', observed_at)
                UNION ALL
                SELECT last_observed_at, used_bytes_last FROM snapshot_hourly
                 WHERE package_pk = p.id AND last_observed_at >= \(from) AND last_observed_at <= \(to)) o
            ORDER BY p.id, o.at
            """, idempotent: true)
        var out: [ForecastHistory] = []
        for row in rows {
            let key = PackageKey(
                provider: try row.decode(String.self, at: 0), account: try row.decode(String.self, at: 1),
                region: try row.decode(String.self, at: 2), id: try row.decode(String.self, at: 3))
            let point = (at: try row.decode(Date.self, at: 9), usedBytes: try row.decode(Int64.self, at: 10))
            if out.last?.key == key {
                out[out.count - 1].observations.append(point)
                continue
            }
            out.append(ForecastHistory(
                key: key, policy: PackagePolicy(rawValue: try row.decode(String.self, at: 4)) ?? .fullTime,
                capacityBytes: try row.decode(Int64.self, at: 5), createdAt: try row.decode(Date.self, at: 6),
                activatedAt: try row.decode(Date?.self, at: 7), expiresAt: try row.decode(Date.self, at: 8), observations: [point]))
        }
        return out
    }
}
