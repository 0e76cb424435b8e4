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
        OpsRoutes(
            ops: ops, views: views, auth: auth, metricsPublic: configuration.metricsPublic,
            statusPagePublic: configuration.statusPagePublic, refreshSeconds: configuration.statusPageRefreshSeconds,
            refreshUsage: { [self] now in refreshPoolUsageIfDue(now: now) }
        ).register(on: router)
    }

    /// A service of `tpgw serve` (started and stopped with the others; it used to be a task nothing stopped): once a
    /// second, when the view changed (or the page got old), renders the scrape's inventory and the status page
    /// ahead, so requests find them ready. Only for what was asked for lately.
    func opsPreparation<C: Clock<Duration>>(clock: C) -> ClosureService {
        let refreshSeconds = configuration.statusPageRefreshSeconds
        let ops = ops
        let views = views
        return ClosureService("ops") { shutdown in
            await PeriodicRunner(interval: .seconds(1), clock: clock).run(until: shutdown) {
                ops.prepare(view: views.current, refreshSeconds: refreshSeconds, now: Date())
            }
        }
    }

    /// The poller's hook after every successful poll write: counts snapshots and keeps sparkline data fresh.
    func opsPolled(_ result: PollWriteResult) {
        ops.metrics.snapshotsWritten.increment(by: result.snapshotsWritten)
        refreshPoolUsageIfDue(now: Date())
    }

    /// `reader` with every read timed into `tpgw_poll_duration_seconds`.
    func opsMetered(_ reader: any SourceReader) -> any SourceReader {
        MeteredSourceReader(inner: reader, durations: ops.metrics.pollDuration, skipped: ops.metrics.upstreamPackagesSkipped)
    }

    private func refreshPoolUsageIfDue(now: Date) {
        let store = store
        let logger = logger
        ops.poolUsage.refreshIfDue(now: now) {
            do {
                return try await store.poolUsage(now: now)
            } catch {
                logger.warning("pool usage query failed", metadata: ["error": "\(error)"])
                throw error
            }
        }
    }
}
