import Foundation
import TPGWCore
import TPGWStore

/// Runs `PostgresStore.compact` on a fixed interval (default hourly): raw snapshots past their
/// retention fold into hourly rollups, old rollups and poll runs are deleted. Safe on every replica
/// at once: compaction is one transaction and a second run finds nothing to do.
package struct MaintenanceJob: Sendable {
    package var store: PostgresStore
    package var retention: PostgresStore.Retention
    package var interval: Duration
    package var logger: Logger
    package var now: @Sendable () -> Date

    package init(
        store: PostgresStore, retention: PostgresStore.Retention = .init(), interval: Duration = .seconds(3600), logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.retention = retention
        self.interval = interval
        self.logger = logger
        self.now = now
    }

    /// Compacts once now, then every `interval`, until cancelled.
    package func run() async {
        while !Task.isCancelled {
            do {
                let result = try await store.compact(now: now(), retention: retention)
                logger.debug("Compacted snapshots", metadata: [
                    "store.compacted": "\(result.snapshotsCompacted)", "store.rollups": "\(result.rollupsWritten)",
                    "store.rollups_deleted": "\(result.rollupsDeleted)", "store.poll_runs_deleted": "\(result.pollRunsDeleted)",
                ])
            } catch {
                logger.warning("Snapshot compaction failed", metadata: ["db.error": error.message])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
