import Synchronization
import Foundation
import TPGWCore
import TPGWHTTP

extension Application {
    /// `tpgw serve`: starts everything, runs until SIGTERM/SIGINT, then stops the services in reverse start order
    /// (the HTTP server first) within the graceful deadline, and closes the pool and the HTTP client.
    package func serve(migrate: Bool) async throws {
        let running = try await start(migrate: migrate)
        SignalWatcher.install {
            self.logger.notice("shutting down")
            running.shutdown.trigger()
        }
        await running.wait()
        await shutdown()
        logger.notice("stopped")
    }

    /// Migrates (unless told not to), loads keys, registers sources and routes, reads the first view and binds the
    /// HTTP server, then starts the services and returns at once. Tests use it directly (through `Gateway.make`).
    package func start(migrate: Bool) async throws -> RunningGateway {
        if migrate {
            let report = try await migrator.migrate()
            logger.info("migrations checked", metadata: ["applied": "\(report.applied.count)"])
        }
        try await keys.reload()
        let poller = makePoller()
        try await poller.register()
        registerRoutes(refresh: { account, region in try await poller.refresh(account: account, region: region) })
        try? await views.rebuild()
        let loaded = forecastFeatures.stats
        logger.info("forecast features ready", metadata: [
            "loaded": "\(loaded.loaded)", "builtFromHistory": "\(loaded.builtFromHistory)", "caughtUp": "\(loaded.caughtUp)",
            "outdated": "\(loaded.outdated)", "corrupt": "\(loaded.corrupt)",
        ])

        let gate = auth
        let server = HTTPServer(
            configuration: try serverConfiguration(), handler: router.makeHandler(), headGate: { head in gate.gate(head) },
            logger: logger.with(["component": "http"]))
        let port = try server.start()
        logger.notice("tpgw listening", metadata: ["address": configuration.listen, "port": "\(port)", "version": TPGWVersion.current])

        // Every service of the gateway, in start order; they stop in reverse order. All wait on the one clock.
        let services: [any Service] = [
            views.service(clock: clock),                                                  // view store: rebuilds on change
            poller.service(clock: clock),                                                 // usage poller
            keyRefresh(clock: clock),                                                     // API keys reload, last-used
            makeAlerting().service(clock: clock),                                         // alert engine + dispatcher
            makePurchaseReconciler(purchaseReconcilerConfiguration).service(clock: clock),  // pending purchases
            opsPreparation(clock: clock),                                                 // metrics, status page, usage
            maintenance(clock: clock),                                                    // compaction and retention
            server,                                                                       // HTTP: last up, first down
        ]
        let shutdown = ShutdownSignal()
        // The deadline is a safety net against a wedged service, measured in real time whatever the gateway's clock.
        let group = ServiceGroup(services: services, gracefulDeadline: .seconds(30), clock: ContinuousClock(), logger: logger)
        let logger = logger
        let background = Task {
            do { try await group.run(until: shutdown) } catch { logger.error("services failed", metadata: ["error": "\(error)"]) }
        }
        return RunningGateway(port: port, server: server, background: background, shutdown: shutdown)
    }

    /// Compaction into hourly rollups and retention, on `clock`, with the configured periods.
    func maintenance<C: Clock<Duration>>(clock: C) -> MaintenanceJob<C> {
        MaintenanceJob(
            store: store, retention: configuration.retention, interval: .seconds(configuration.maintenanceIntervalMinutes * 60),
            clock: clock, logger: logger.with(["component": "maintenance"]), now: now)
    }

    /// Every 5 s on `clock`: reloads the API keys and records which were used; logs once when reloads have failed
    /// long enough for `/readyz` to report it, and once when they recover.
    func keyRefresh<C: Clock<Duration>>(clock: C, every interval: Duration = .seconds(5)) -> ClosureService {
        let keys = keys
        let store = store
        let logger = logger
        let now = now
        let reportedStale = Mutex(false)
        return ClosureService("keys") { shutdown in
            await PeriodicRunner(interval: interval, clock: clock, runImmediately: false).run(until: shutdown) {
                do {
                    try await keys.reload()
                    if reportedStale.withLock({ s in defer { s = false }; return s }) { logger.notice("API key reload recovered") }
                    let used = keys.drainUsed()
                    try await store.touchAPIKeys(ids: Array(used), at: now())
                } catch {
                    if let reason = keys.staleness(now: now()), !reportedStale.withLock({ s in defer { s = true }; return s }) {
                        logger.error("API keys cannot be reloaded: new and revoked keys are not seen", metadata: [
                            "reason": reason, "error": "\(error)",
                        ])
                    } else {
                        logger.debug("key refresh failed", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
    }
}

/// A started gateway: its bound port, the server, and the one group of services.
package struct RunningGateway: Sendable {
    package let port: Int
    let server: HTTPServer
    let background: Task<Void, Never>
    /// Triggering it stops every service in reverse start order (the HTTP server first).
    let shutdown: ShutdownSignal

    /// Waits until the services have stopped.
    func wait() async {
        _ = await background.value
    }

    /// Stops every service in reverse start order and waits for them (in-flight requests and polls finish first).
    package func stop() async {
        shutdown.trigger()
        await wait()
    }
}
