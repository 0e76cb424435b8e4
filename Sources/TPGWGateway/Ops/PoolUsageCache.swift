import Foundation
import Synchronization
import TPGWCore

/// The latest `PoolUsage`, reloaded by the ops service when it is older than its bucket size, so the status
/// page reads it without waiting on the database. Loads never overlap.
package final class PoolUsageCache: Sendable {
    private struct State {
        var usage: PoolUsage?
        var loadedAt: Date?
        var loading = false
        var generation = 0
    }

    private let state = Mutex(State())
    private let logger: Logger

    init(logger: Logger = .disabled) {
        self.logger = logger
    }

    /// The cached usage (nil before the first load) and a number that changes with every load.
    var current: (usage: PoolUsage?, generation: Int) {
        state.withLock { ($0.usage, $0.generation) }
    }

    /// Whether a load is due at `now`: never loaded, or older than the bucket size (at least 10 s, at most 15 min).
    func isDue(now: Date) -> Bool {
        state.withLock { s in
            guard !s.loading else { return false }
            guard let loadedAt = s.loadedAt, let usage = s.usage else { return true }
            let maxAge = min(900, max(10, Double(usage.bucketSeconds)))
            return now.timeIntervalSince(loadedAt) >= maxAge
        }
    }

    /// Loads now unless a load is already running, and waits for it.
    package func refresh(now: Date, load: @Sendable () async throws -> PoolUsage) async {
        let start = state.withLock { s -> Bool in
            if s.loading { return false }
            s.loading = true
            return true
        }
        guard start else { return }
        do {
            let usage = try await load()
            state.withLock { s in
                s.usage = usage
                s.loadedAt = now
                s.loading = false
                s.generation += 1
            }
        } catch {
            // Keep the previous usage; try again on the next trigger.
            state.withLock { s in
                s.loading = false
                s.loadedAt = now
            }
            logger.warning("pool usage query failed", metadata: ["error": "\(error)"])
        }
    }
}
