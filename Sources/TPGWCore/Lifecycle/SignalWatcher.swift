import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGTERM/SIGINT into a graceful shutdown; a second signal exits at once (status 130). Part of the lifecycle:
/// every executable (tpgw, the simulators, the bench server) installs it once.
package enum SignalWatcher {
    /// Keeps the dispatch sources alive for the life of the process.
    private final class Box: @unchecked Sendable { var sources: [any DispatchSourceSignal] = [] }
    private static let box = Mutex(Box())
    private static let received = Atomic<Int>(0)

    /// On the first SIGTERM or SIGINT runs `onFirstSignal` (e.g. `server.shutdown()`); on the next, `_exit(130)`.
    package static func install(onFirstSignal: @escaping @Sendable () async -> Void) {
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                let count = received.add(1, ordering: .relaxed).newValue
                if count == 1 {
                    Task { await onFirstSignal() }
                } else {
                    _exit(130)
                }
            }
            source.resume()
            box.withLock { $0.sources.append(source) }
        }
    }

    /// Triggers `shutdown` on the first signal (a `ServiceGroup` then stops its services in reverse order).
    package static func install(triggering shutdown: ShutdownSignal) {
        install { shutdown.trigger() }
    }
}
