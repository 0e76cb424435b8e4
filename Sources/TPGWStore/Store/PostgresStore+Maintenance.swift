import Foundation
import TPGWCore

extension PostgresStore {
    /// Retention settings of the maintenance job.
    package struct Retention: Sendable, Equatable {
        /// Raw snapshots older than this are folded into hourly rollups (default 90 days).
        package var rawSnapshots: TimeInterval
        /// Hourly rollups older than this are deleted (default 400 days).
        package var hourlyRollups: TimeInterval
        /// Poll-run records older than this are deleted (default 30 days).
        package var pollRuns: TimeInterval
        /// Attempts of finished deliveries (delivered, failed, dead) older than this are deleted (default 30 days);
        /// a pending delivery keeps all of its attempts.
        package var deliveryAttempts: TimeInterval
        /// Audit entries older than this are deleted (default 400 days).
        package var audit: TimeInterval = 400 * 86400

        package init(
            rawSnapshots: TimeInterval = 90 * 86400, hourlyRollups: TimeInterval = 400 * 86400, pollRuns: TimeInterval = 30 * 86400,
            deliveryAttempts: TimeInterval = 30 * 86400, audit: TimeInterval = 400 * 86400
        ) {
            self.audit = audit
            self.rawSnapshots = rawSnapshots
            self.hourlyRollups = hourlyRollups
            self.pollRuns = pollRuns
            self.deliveryAttempts = deliveryAttempts
        }
    }

    /// Compacts raw snapshots older than the retention into hourly rollups (min, max, last, samples),
    /// then drops expired rollups, poll runs, finished deliveries' attempts and audit entries. The cut-off is rounded down to a whole hour, so an
    /// hour is never split between raw rows and a rollup. One transaction: all or nothing, and safe to
    /// run on several replicas at once (a second run finds nothing to do).
    @discardableResult
    package func compact(now: Date, retention: Retention = Retention()) async throws(PostgresError) -> CompactionResult {
        let rawCutoff = Date(timeIntervalSince1970: ((now.timeIntervalSince1970 - retention.rawSnapshots) / 3600).rounded(.down) * 3600)
        let rollupCutoff = now.addingTimeInterval(-retention.hourlyRollups)
        let pollCutoff = now.addingTimeInterval(-retention.pollRuns)
        let attemptCutoff = now.addingTimeInterval(-retention.deliveryAttempts)
        let auditCutoff = now.addingTimeInterval(-retention.audit)
        return try await transaction(attempts: 3) { connection throws(PostgresError) in
            // A first compaction after a long pause can move millions of rows: lift the usual limit.
            try await connection.execute(unsafeSQL: "SET LOCAL statement_timeout = '15min'")
            let moved = try await connection.query("""
                WITH moved AS (
                    DELETE FROM snapshots WHERE observed_at < \(rawCutoff)
                    RETURNING package_pk, observed_at, used_bytes, capacity_bytes, status
                ), agg AS (
                    SELECT m.package_pk, date_trunc('hour', m.observed_at) AS hour, min(m.used_bytes) AS mn, max(m.used_bytes) AS mx,
                           (array_agg(m.used_bytes ORDER BY m.observed_at DESC))[1] AS last_used,
                           (array_agg(m.capacity_bytes ORDER BY m.observed_at DESC))[1] AS capacity,
                           (array_agg(m.status ORDER BY m.observed_at DESC))[1] AS status,
                           max(m.observed_at) AS last_at, count(*)::int AS n
                    FROM moved m GROUP BY 1, 2
                ), up AS (
                    INSERT INTO snapshot_hourly AS h (package_pk, source_id, hour, used_bytes_min, used_bytes_max, used_bytes_last,
                                                      capacity_bytes, status, last_observed_at, samples)
                    SELECT a.package_pk, p.source_id, a.hour, a.mn, a.mx, a.last_used, a.capacity, a.status, a.last_at, a.n
                    FROM agg a JOIN packages p ON p.id = a.package_pk
                    ON CONFLICT (package_pk, hour) DO UPDATE
                    SET used_bytes_min = least(h.used_bytes_min, excluded.used_bytes_min),
                        used_bytes_max = greatest(h.used_bytes_max, excluded.used_bytes_max),
                        used_bytes_last = CASE WHEN excluded.last_observed_at >= h.last_observed_at THEN excluded.used_bytes_last ELSE h.used_bytes_last END,
                        capacity_bytes = CASE WHEN excluded.last_observed_at >= h.last_observed_at THEN excluded.capacity_bytes ELSE h.capacity_bytes END,
                        status = CASE WHEN excluded.last_observed_at >= h.last_observed_at THEN excluded.status ELSE h.status END,
                        last_observed_at = greatest(h.last_observed_at, excluded.last_observed_at),
                        samples = h.samples + excluded.samples
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM up)
                """)
            let (compacted, rollups) = try moved[0].decode((Int, Int).self)
            let deletedRollups = try await connection.query("DELETE FROM snapshot_hourly WHERE hour < \(rollupCutoff)").affectedRows
            let deletedRuns = try await connection.query("DELETE FROM poll_runs WHERE started_at < \(pollCutoff)").affectedRows
            let deletedAttempts = try await connection.query("""
                DELETE FROM delivery_attempts a USING deliveries d
                WHERE a.delivery_id = d.id AND d.state <> 'pending' AND a.attempted_at < \(attemptCutoff)
                """).affectedRows
            let deletedAudit = try await connection.query("DELETE FROM audit_log WHERE at < \(auditCutoff)").affectedRows
            return CompactionResult(
                snapshotsCompacted: compacted, rollupsWritten: rollups, rollupsDeleted: deletedRollups, pollRunsDeleted: deletedRuns,
                deliveryAttemptsDeleted: deletedAttempts, auditEntriesDeleted: deletedAudit)
        }
    }
}
