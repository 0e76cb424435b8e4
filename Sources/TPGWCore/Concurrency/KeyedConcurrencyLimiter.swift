import Synchronization

/// An async semaphore per key: at most `limit` holders per key at once, FIFO waiters,
/// cancellable while waiting. The one async wait queue: it caps in-flight requests per upstream source
/// (`HTTPClient`) and, with a limit of 1, runs the alert engine's passes and the view's rebuilds one at a time.
package final class KeyedConcurrencyLimiter: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct Slot {
        var inUse = 0
        var waiters: [Waiter] = []
    }

    private struct State {
        var slots: [String: Slot] = [:]
        var nextID: UInt64 = 0
    }

    package let limit: Int
    private let state = Mutex(State())

    package init(limit: Int) {
        precondition(limit > 0, "limit must be positive")
        self.limit = limit
    }

    /// Waits for a permit for `key`; throws `CancellationError` if the task is cancelled while waiting.
    package func acquire(_ key: String) async throws {
        let id: UInt64? = state.withLock { s in
            if s.slots[key, default: Slot()].inUse < limit {
                s.slots[key, default: Slot()].inUse += 1
                return nil
            }
            s.nextID += 1
            return s.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = state.withLock { s in
                    if Task.isCancelled { return true }
                    // A permit may have been released between the first check and here.
                    if s.slots[key, default: Slot()].inUse < limit {
                        s.slots[key, default: Slot()].inUse += 1
                        c.resume()
                        return false
                    }
                    s.slots[key, default: Slot()].waiters.append(Waiter(id: id, continuation: c))
                    return false
                }
                if resumeNow { c.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter: Waiter? = state.withLock { s in
                guard var slot = s.slots[key], let i = slot.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                let w = slot.waiters.remove(at: i)
                s.slots[key] = slot
                return w
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Returns a permit for `key`, handing it straight to the oldest waiter if any.
    package func release(_ key: String) {
        let next: Waiter? = state.withLock { s in
            guard var slot = s.slots[key] else { return nil }
            if !slot.waiters.isEmpty {
                let w = slot.waiters.removeFirst()
                s.slots[key] = slot
                return w
            }
            slot.inUse -= 1
            if slot.inUse <= 0 && slot.waiters.isEmpty { s.slots[key] = nil } else { s.slots[key] = slot }
            return nil
        }
        next?.continuation.resume()
    }

    /// Permits in use for `key` (for tests and metrics).
    package func inUse(_ key: String) -> Int { state.withLock { $0.slots[key]?.inUse ?? 0 } }

    /// Runs `body` holding a permit for `key`.
    package func withPermit<T: Sendable>(_ key: String, _ body: () async throws -> T) async throws -> T {
        try await acquire(key)
        defer { release(key) }
        return try await body()
    }
}
