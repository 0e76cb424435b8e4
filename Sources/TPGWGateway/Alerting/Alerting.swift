import Foundation
import Synchronization
import TPGWCore
import TPGWStore

/// The alerting background work of one replica: the engine (after every view rebuild, when budgets change,
/// and every `evaluateEvery` for repeats and staleness) and the delivery dispatcher.
struct Alerting: Sendable {
    let engine: AlertEngine
    let dispatcher: DeliveryDispatcher
    let store: PostgresStore
    /// View rebuilds (nil: only budget changes and the periodic tick trigger passes).
    let updates: AsyncStream<Void>?
    var budgetProbe: Duration = .seconds(1)
    var evaluateEvery: Duration = .seconds(60)
    let logger: Logger
    /// Wall time of each evaluation.
    var now: @Sendable () -> Date = { Date() }

    /// The engine and the dispatcher as one service, waiting on `clock`.
    func service<C: Clock<Duration>>(clock: C) -> ClosureService {
        ClosureService("alerting") { shutdown in await self.run(until: shutdown, clock: clock) }
    }

    /// Runs until `shutdown`: an evaluation after every view rebuild, when the budgets' signature changes (probed
    /// every `budgetProbe` on `clock`), and at least every `evaluateEvery` (repeats, escalation, staleness); the
    /// dispatcher alongside. `now` of each evaluation comes from the engine's wall time.
    func run<C: Clock<Duration>>(until shutdown: ShutdownSignal, clock: C) async {
        let (signal, trigger) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await withTaskGroup(of: Void.self) { group in
            if let updates {
                group.addTask {
                    // The view's updates end only with the view store: listen until shutdown.
                    let listener = Task { for await _ in updates { trigger.yield() } }
                    await withTaskCancellationHandler { await shutdown.wait() } onCancel: { listener.cancel() }
                    listener.cancel()
                }
            }
            group.addTask {
                let last = Mutex((signature: "", fullAt: clock.now))
                await PeriodicRunner(interval: budgetProbe, clock: clock, runImmediately: false).run(until: shutdown) {
                    let previous = last.withLock { $0.signature }
                    let current = (try? await store.budgetsSignature()) ?? previous
                    let due = last.withLock { l -> Bool in
                        guard current != l.signature || l.fullAt.duration(to: clock.now) >= evaluateEvery else { return false }
                        l = (current, clock.now)
                        return true
                    }
                    if due { trigger.yield() }
                }
            }
            group.addTask { await dispatcher.run(until: shutdown) }
            group.addTask {
                await shutdown.wait()
                trigger.yield()
            }
            for await _ in signal {
                if shutdown.isTriggered || Task.isCancelled { break }
                do {
                    let report = try await engine.evaluate(now: now())
                    if report.deliveries > 0 { dispatcher.wake() }
                } catch {
                    logger.warning("alert evaluation failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
