import Synchronization
import Foundation
import TPGWCore
import TPGWHTTP

extension Application {
    /// `tpgw serve`: starts everything, runs until SIGTERM/SIGINT, then shuts down gracefully within the server's
    /// deadline.
    package func serve(migrate: Bool) async throws {
        let running = try await start(migrate: migrate)
        SignalWatcher.install {
            self.logger.notice("shutting down")
            await running.server.shutdown()
        }
        try await running.server.run()
        await running.stopBackground()
        await shutdown()
        logger.notice("stopped")
    }

    /// Migrates (unless told not to), loads keys and the first view, starts the HTTP server and the background
    /// services (poller, view rebuilds, key refresh), and returns at once. Tests use it directly.
    func start(migrate: Bool) async throws -> RunningGateway {
        if migrate {
            let report = try await migrator.migrate()
            logger.info("migrations checked", metadata: ["applied": "\(report.applied.count)"])
        }
        try await keys.reload()
        let poller = makePoller()
        try await poller.register()
        registerRoutes(refresh: { account, region in try await poller.refresh(account: account, region: region) })
        try? await views.rebuild()

        let gate = auth
        let server = HTTPServer(
            configuration: try serverConfiguration(), handler: router.makeHandler(), headGate: { head in gate.gate(head) },
            logger: logger.with(["component": "http"]))
        let port = try server.start()
        logger.notice("tpgw listening", metadata: ["address": configuration.listen, "port": "\(port)", "version": TPGWVersion.current])

        // The background services, in start order; they stop in reverse order.
        let services: [any Service] = [
            Self.loop("view") { await self.views.run() },
            Self.loop("poller") { await poller.run() },
            keyRefresh(clock: ContinuousClock()),
            Self.loop("alerting") { await self.makeAlerting().run() },
            makePurchaseReconciler(purchaseReconcilerConfiguration).service(clock: ContinuousClock()),
            opsPreparation(clock: ContinuousClock()),
            MaintenanceJob(
                store: store, retention: configuration.retention, interval: .seconds(configuration.maintenanceIntervalMinutes * 60),
                clock: ContinuousClock(), logger: logger.with(["component": "maintenance"])),
        ]
        let shutdown = ShutdownSignal()
        let group = ServiceGroup(services: services, gracefulDeadline: .seconds(30), clock: ContinuousClock(), logger: logger)
        let background = Task {
            do { try await group.run(until: shutdown) } catch { self.logger.error("background services failed", metadata: ["error": "\(error)"]) }
        }
        return RunningGateway(port: port, server: server, background: background, shutdown: shutdown)
    }

    /// A loop that runs until its task is cancelled, as a service: its shutdown cancels it.
    static func loop(_ name: String, _ body: @escaping @Sendable () async -> Void) -> ClosureService {
        ClosureService(name) { shutdown in
            let task = Task { await body() }
            await withTaskCancellationHandler { await shutdown.wait() } onCancel: { task.cancel() }
            task.cancel()
            await task.value
        }
    }

    /// Reloads API keys every few seconds and records which were used. Reloads failing for `KeyRing.staleAfter`
    /// are logged once as an error (and `/readyz` turns 503) until a reload succeeds again.
    /// Every 5 s on `clock`: reloads the API keys and records which were used; logs once when reloads have failed
    /// long enough for `/readyz` to report it, and once when they recover.
    func keyRefresh<C: Clock<Duration>>(clock: C, every interval: Duration = .seconds(5)) -> ClosureService {
        let keys = keys
        let store = store
        let logger = logger
        let reportedStale = Mutex(false)
        return ClosureService("keys") { shutdown in
            await PeriodicRunner(interval: interval, clock: clock, runImmediately: false).run(until: shutdown) {
                do {
                    try await keys.reload()
                    if reportedStale.withLock({ s in defer { s = false }; return s }) { logger.notice("API key reload recovered") }
                    let used = keys.drainUsed()
                    try await store.touchAPIKeys(ids: Array(used), at: Date())
                } catch {
                    if let reason = keys.staleness(now: Date()), !reportedStale.withLock({ s in defer { s = true }; return s }) {
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

/// A started gateway: its bound port, the server, and the background services.
struct RunningGateway: Sendable {
    let port: Int
    let server: HTTPServer
    let background: Task<Void, Never>
    let shutdown: ShutdownSignal

    /// Stops the background services in reverse start order and waits for them (in-flight polls finish first).
    func stopBackground() async {
        shutdown.trigger()
        _ = await background.value
    }

    /// Stops the server, then the background services.
    func stop() async {
        await server.shutdown()
        await stopBackground()
    }
}
