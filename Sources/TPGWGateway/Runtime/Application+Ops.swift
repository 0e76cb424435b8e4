import Foundation
import TPGWBCE
import TPGWCore
import TPGWHTTP
import TPGWStore

extension Application {
    /// Registers `GET /metrics`, `GET /` (status page) and the HTTP metrics middleware, and feeds upstream
    /// request metrics from the BCE client. Call once from `registerRoutes`, before the other middleware, so
    /// every response (including 401, 404, 405) is counted with the status it is sent with.
    func registerOpsRoutes() {
        router.add(middleware: MetricsMiddleware(metrics: ops.metrics))
        let upstreamRequests = ops.metrics.upstreamRequests
        let upstreamDurations = ops.metrics.upstreamRequestDuration
        bce.observe { attempt in
            let labels = [attempt.source.region, attempt.operation, attempt.outcome.rawValue]
            upstreamRequests.counter(labels).increment()
            upstreamDurations.histogram(labels).observe(attempt.duration)
        }
        let views = views
        OpsRoutes(
            ops: ops, view: { views.current }, auth: auth, metricsPublic: configuration.metricsPublic,
            statusPagePublic: configuration.statusPagePublic, refreshSeconds: configuration.statusPageRefreshSeconds
        ).register(on: router)
    }

    /// A service of `tpgw serve`, once a second on `clock`: when the view changed (or the page got old), renders the
    /// scrape's inventory and the status page ahead, so requests find them ready, and reloads the pools' usage
    /// (sparklines) when it is due. Only for what was asked for lately. (The usage reload used to be a task started
    /// by the status page route that nothing stopped; it is this service's work now.)
    func opsPreparation<C: Clock<Duration>>(clock: C) -> ClosureService {
        let refreshSeconds = configuration.statusPageRefreshSeconds
        let ops = ops
        let views = views
        let store = store
        let now = now
        return ClosureService("ops") { shutdown in
            await PeriodicRunner(interval: .seconds(1), clock: clock).run(until: shutdown) {
                let at = now()
                if ops.statusPageWatched(now: at), ops.poolUsage.isDue(now: at) {
                    await ops.poolUsage.refresh(now: at) { try await store.poolUsage(now: at) }
                }
                ops.prepare(view: views.current, refreshSeconds: refreshSeconds, now: at)
            }
        }
    }

    /// The poller's hook after every successful poll write: counts snapshots.
    func opsPolled(_ result: PollWriteResult) {
        ops.metrics.snapshotsWritten.increment(by: result.snapshotsWritten)
    }

}
