import Foundation
import TPGWCore
import TPGWStore

/// Keeps the database small, on every replica (each run is one transaction and a second run finds nothing to
/// do): raw snapshots past their retention fold into hourly rollups, old rollups, poll runs and the attempts of
/// finished deliveries are deleted. Runs at start, then every `interval` on `clock`; `now` dates the cut-offs.
package struct MaintenanceJob<C: Clock<Duration>>: Service {
    package var name: String { "maintenance" }
    package var store: PostgresStore
    package var retention: PostgresStore.Retention
    package var interval: Duration
    package var clock: C
    package var logger: Logger
    package var now: @Sendable () -> Date

    package init(
        store: PostgresStore, retention: PostgresStore.Retention = .init(), interval: Duration = .seconds(3600), clock: C, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.retention = retention
        self.interval = interval
        self.clock = clock
        self.logger = logger
        self.now = now
    }

    package func run(until shutdown: ShutdownSignal) async throws {
        await PeriodicRunner(interval: interval, clock: clock).run(until: shutdown) { await runOnce() }
    }

    /// One compaction; failures are logged and retried at the next tick.
    package func runOnce() async {
        do {
            let result = try await store.compact(now: now(), retention: retention)
            logger.debug("compacted snapshots", metadata: [
                "store.compacted": "\(result.snapshotsCompacted)", "store.rollups": "\(result.rollupsWritten)",
                "store.rollups_deleted": "\(result.rollupsDeleted)", "store.poll_runs_deleted": "\(result.pollRunsDeleted)",
                "store.delivery_attempts_deleted": "\(result.deliveryAttemptsDeleted)",
            ])
        } catch {
            logger.warning("snapshot compaction failed", metadata: ["db.error": error.message])
        }
    }
}
