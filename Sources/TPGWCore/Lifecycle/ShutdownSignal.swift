import Synchronization

/// A one-shot "please stop" that any number of tasks can wait for. Triggering it twice is harmless.
package final class ShutdownSignal: Sendable {
    private struct State {
        var triggered = false
        var next: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    package init() {}

    package var isTriggered: Bool { state.withLock { $0.triggered } }

    /// Wakes every waiter, now and later.
    package func trigger() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            guard !s.triggered else { return [] }
            s.triggered = true
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for w in waiters { w.resume() }
    }

    /// Returns once triggered, or at once when the calling task is cancelled.
    package func wait() async {
        let id = state.withLock { s -> UInt64 in
            s.next += 1
            return s.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.triggered || Task.isCancelled { return true }
                    s.waiters[id] = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}

extension ShutdownSignal {
    /// Sleeps `duration` on `clock`; false when this signal was triggered first (or the task was cancelled).
    /// The one way a service waits between rounds.
    package func sleep<C: Clock<Duration>>(for duration: Duration, on clock: C) async -> Bool {
        await sleep(until: clock.now.advanced(by: duration), on: clock)
    }

    /// Sleeps until `deadline` on `clock`; false when this signal was triggered first (or the task was cancelled).
    package func sleep<C: Clock<Duration>>(until deadline: C.Instant, on clock: C) async -> Bool {
        if isTriggered || Task.isCancelled { return false }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await clock.sleep(until: deadline, tolerance: nil)
                    return true
                } catch {
                    return false
                }
            }
            group.addTask {
                await self.wait()
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first && !isTriggered && !Task.isCancelled
        }
    }
}
