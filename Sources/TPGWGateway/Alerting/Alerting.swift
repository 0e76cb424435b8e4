import Foundation
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

    /// Runs until cancelled.
    func run() async {
        let (signal, trigger) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await withTaskGroup(of: Void.self) { group in
            if let updates {
                group.addTask {
                    for await _ in updates { trigger.yield() }
                }
            }
            group.addTask {
                var signature = ""
                var sinceFull = ContinuousClock.now
                while !Task.isCancelled {
                    try? await Task.sleep(for: budgetProbe)
                    let now = (try? await store.budgetsSignature()) ?? signature
                    if now != signature || ContinuousClock.now - sinceFull >= evaluateEvery {
                        signature = now
                        sinceFull = ContinuousClock.now
                        trigger.yield()
                    }
                }
            }
            group.addTask { await dispatcher.run() }
            group.addTask {
                for await _ in signal {
                    if Task.isCancelled { break }
                    do {
                        let report = try await engine.evaluate(now: Date())
                        if report.deliveries > 0 { dispatcher.wake() }
                    } catch {
                        logger.warning("alert evaluation failed", metadata: ["error": "\(error)"])
                    }
                }
            }
            await group.waitForAll()
        }
    }
}
