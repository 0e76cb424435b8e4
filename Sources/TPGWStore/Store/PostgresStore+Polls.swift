import Foundation
import TPGWCore

extension PostgresStore {
    /// Writes one successful poll of `source` in a single transaction: upserts the listed packages
    /// (rows are rewritten only when something changed), appends the snapshots `PollPlan` decides in
    /// one multi-row insert, releases packages that vanished, marks the source healthy and records the
    /// poll run. The transaction is retried on serialization failures and broken connections, and is
    /// all-or-nothing. Polls of one source are serialised by a lock on its `sources` row.
    ///
    /// `skipped` are listed packages tpgw could not represent: the poll still succeeds (the source's last
    /// success moves on and its failure count resets), their stored rows are kept as they were (not released),
    /// and the source's last error becomes `skippedPackages` with `SkippedPackage.report` as its message (also
    /// on the poll run), until a poll skips none.
    @discardableResult
    package func applyPoll(
        source: SourceID, startedAt: Date, observedAt: Date, packages: [ObservedPackage], skipped: [SkippedPackage] = [], latency: Duration,
        replica: String? = nil, heartbeat: TimeInterval = 3600, attempts: Int = 3, features: [StoredForecastFeatures] = []
    ) async throws(PostgresError) -> PollWriteResult {
        let latencyMs = latency.milliseconds
        return try await transaction(attempts: attempts) { connection throws(PostgresError) in
            let lock = try await connection.query("""
                SELECT id, last_success_at FROM sources
                WHERE provider = \(source.provider) AND account = \(source.account) AND region = \(source.region)
                FOR UPDATE
                """)
            guard let sourceRow = lock.first else { throw PostgresError(.notFound, "source \(source) is not registered") }
            let (sourceID, previousSuccess) = try sourceRow.decode((Int64, Date?).self)

            let marks = try await connection.query("""
                SELECT package_id, used_bytes, capacity_bytes, status, last_snapshot_at, released_at IS NOT NULL
                FROM packages WHERE source_id = \(sourceID)
                """)
            var previous: [String: PollPlan.Mark] = [:]
            previous.reserveCapacity(marks.count)
            for row in marks {
                let (id, used, capacity, status, lastSnapshot, released) = try row.decode((String, Int64, Int64, String, Date?, Bool).self)
                previous[id] = PollPlan.Mark(
                    usedBytes: used, capacityBytes: capacity, status: PackageStatus(rawValue: status) ?? .active,
                    lastSnapshotAt: lastSnapshot, released: released)
            }
            let plan = PollPlan(
                previous: previous, listing: packages, kept: Set(skipped.compactMap(\.id)), observedAt: observedAt, heartbeat: heartbeat)
            let errorCode = skipped.isEmpty ? nil : SkippedPackage.errorCode
            let errorMessage = skipped.isEmpty ? nil : SkippedPackage.report(skipped)

            if !plan.current.isEmpty {
                try await upsertPackages(plan, sourceID: sourceID, source: source, observedAt: observedAt, on: connection)
            }
            if !plan.released.isEmpty {
                _ = try await connection.query("""
                    UPDATE packages
                    SET status = 'released', released_at = \(observedAt), last_seen_at = coalesce(\(previousSuccess), last_seen_at),
                        last_snapshot_at = \(observedAt)
                    WHERE source_id = \(sourceID) AND package_id = ANY(\(plan.released)::text[])
                    """)
                _ = try await connection.query("""
                    DELETE FROM forecast_features
                    WHERE package_pk IN (SELECT id FROM packages WHERE source_id = \(sourceID) AND package_id = ANY(\(plan.released)::text[]))
                    """)
            }
            var written = 0
            if !plan.snapshots.isEmpty {
                let result = try await connection.query("""
                    INSERT INTO snapshots (package_pk, observed_at, used_bytes, capacity_bytes, status)
                    SELECT p.id, \(observedAt), t.used, t.capacity, t.status
                    FROM unnest(\(plan.snapshots.map(\.packageID))::text[], \(plan.snapshots.map(\.usedBytes))::int8[],
                                \(plan.snapshots.map(\.capacityBytes))::int8[], \(plan.snapshots.map(\.status.rawValue))::text[])
                         AS t(package_id, used, capacity, status)
                    JOIN packages p ON p.source_id = \(sourceID) AND p.package_id = t.package_id
                    ON CONFLICT (package_pk, observed_at) DO NOTHING
                    """)
                written = result.affectedRows
            }
            // The forecast features this poll folded (see ForecastFeatureStore.foldPoll), in the same transaction.
            try await writeForecastFeatures(features, sourceID: sourceID, on: connection)
            _ = try await connection.query("""
                UPDATE sources
                SET last_attempt_at = \(startedAt), last_success_at = \(observedAt), consecutive_failures = 0,
                    last_error_code = \(errorCode), last_error_message = \(errorMessage),
                    last_error_at = CASE WHEN \(errorCode)::text IS NULL THEN last_error_at ELSE \(observedAt) END,
                    last_latency_ms = \(latencyMs),
                    lease_owner = NULL, lease_until = NULL
                WHERE id = \(sourceID)
                """)
            _ = try await connection.query("""
                INSERT INTO poll_runs (source_id, started_at, finished_at, outcome, error_code, error_message, packages_seen, snapshots_written,
                                       packages_released, replica)
                VALUES (\(sourceID), \(startedAt), \(observedAt), 'ok', \(errorCode), \(errorMessage), \(plan.current.count), \(written),
                        \(plan.released.count), \(replica))
                """)
            return PollWriteResult(
                source: source, observedAt: observedAt, packagesSeen: plan.current.count, newPackages: plan.newPackages,
                changedPackages: plan.changedPackages, snapshotsWritten: written,
                released: plan.released.map { PackageKey(provider: source.provider, account: source.account, region: source.region, id: $0) })
        }
    }

    /// One multi-row upsert from arrays. The `WHERE` on the update skips rows where nothing changed,
    /// so unchanged packages cost no write.
    private func upsertPackages(_ plan: PollPlan, sourceID: Int64, source: SourceID, observedAt: Date, on connection: PostgresConnection) async throws(PostgresError) {
        let states = plan.current.map(\.state)
        let query: PostgresQuery = """
            INSERT INTO packages AS p (source_id, provider, account, region, package_id, policy, line_type, status,
                capacity_bytes, used_bytes, created_at, activated_at, expires_at, first_seen_at, last_seen_at, last_snapshot_at, raw)
            SELECT \(sourceID), \(source.provider), \(source.account), \(source.region), t.package_id, t.policy, t.line_type, t.status,
                t.capacity, t.used, t.created, t.activated, t.expires, \(observedAt), \(observedAt), t.last_snapshot, t.raw::jsonb
            FROM unnest(\(states.map(\.key.id))::text[], \(states.map(\.policy.rawValue))::text[], \(states.map(\.lineType))::text[],
                        \(states.map(\.status.rawValue))::text[], \(states.map(\.capacityBytes))::int8[], \(states.map(\.usedBytes))::int8[],
                        \(states.map(\.createdAt))::timestamptz[], \(states.map(\.activatedAt))::timestamptz[], \(states.map(\.expiresAt))::timestamptz[],
                        \(plan.lastSnapshotAt)::timestamptz[], \(plan.current.map(\.raw))::text[])
                 AS t(package_id, policy, line_type, status, capacity, used, created, activated, expires, last_snapshot, raw)
            ON CONFLICT (source_id, package_id) DO UPDATE
            SET policy = excluded.policy, line_type = excluded.line_type, status = excluded.status,
                capacity_bytes = excluded.capacity_bytes, used_bytes = excluded.used_bytes, created_at = excluded.created_at,
                activated_at = excluded.activated_at, expires_at = excluded.expires_at, last_seen_at = excluded.last_seen_at,
                last_snapshot_at = excluded.last_snapshot_at, released_at = NULL, raw = excluded.raw
            WHERE (p.policy, p.line_type, p.status, p.capacity_bytes, p.used_bytes, p.created_at, p.activated_at, p.expires_at,
                   p.last_snapshot_at, p.released_at, p.raw)
                  IS DISTINCT FROM
                  (excluded.policy, excluded.line_type, excluded.status, excluded.capacity_bytes, excluded.used_bytes,
                   excluded.created_at, excluded.activated_at, excluded.expires_at, excluded.last_snapshot_at, NULL::timestamptz, excluded.raw)
            """
        _ = try await connection.query(query)
    }

    /// Records a failed poll: only the source's health and a poll-run row change. `code` and
    /// `message` must be user-safe (they are shown by `GET /v1/sources`).
    package func recordPollFailure(
        source: SourceID, startedAt: Date, finishedAt: Date, outcome: PollRunOutcome = .readFailed, code: String, message: String,
        latency: Duration? = nil, replica: String? = nil
    ) async throws(PostgresError) {
        let latencyMs = latency?.milliseconds
        try await transaction(attempts: 3) { connection throws(PostgresError) in
            let rows = try await connection.query("""
                UPDATE sources
                SET last_attempt_at = \(startedAt), last_error_at = \(finishedAt), last_error_code = \(code), last_error_message = \(message),
                    consecutive_failures = consecutive_failures + 1, last_latency_ms = coalesce(\(latencyMs), last_latency_ms),
                    lease_owner = NULL, lease_until = NULL
                WHERE provider = \(source.provider) AND account = \(source.account) AND region = \(source.region)
                RETURNING id
                """)
            guard let row = rows.first else { throw PostgresError(.notFound, "source \(source) is not registered") }
            let sourceID = try row.decode(Int64.self, at: 0)
            _ = try await connection.query("""
                INSERT INTO poll_runs (source_id, started_at, finished_at, outcome, error_code, error_message, replica)
                VALUES (\(sourceID), \(startedAt), \(finishedAt), \(outcome.rawValue), \(code), \(message), \(replica))
                """)
        }
    }
}
