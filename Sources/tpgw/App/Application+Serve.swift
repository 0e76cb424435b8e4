import Foundation
import TPGWCore
import TPGWHTTP

extension Application {
    /// `tpgw serve`: migrates (unless told not to), starts the HTTP server and the background services, and runs
    /// until SIGTERM/SIGINT, then shuts down gracefully within the server's deadline.
    func serve(migrate: Bool) async throws {
        if migrate {
            let report = try await migrator.migrate()
            logger.info("migrations checked", metadata: ["applied": "\(report.applied.count)"])
        }
        try await keys.reload()
        let poller = makePoller()
        registerRoutes(refresh: { account, region in try await poller.refresh(account: account, region: region) })
        try? await views.rebuild()

        let server = HTTPServer(configuration: try serverConfiguration(), handler: router.makeHandler(), logger: logger.with(["component": "http"]))
        let port = try server.start()
        logger.notice("tpgw listening", metadata: ["address": configuration.listen, "port": "\(port)", "version": TPGWVersion.current])

        let background = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.views.run() }
                group.addTask { await poller.run(logger: self.logger) }
                group.addTask { await self.maintainKeys() }
                group.addTask { await self.makeAlerting().run() }
                await group.waitForAll()
            }
        }
        SignalWatcher.install {
            self.logger.notice("shutting down")
            await server.shutdown()
        }
        try await server.run()
        background.cancel()
        _ = await background.value
        await shutdown()
        logger.notice("stopped")
    }

    /// Reloads API keys every few seconds and records which were used.
    private func maintainKeys() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(5))
            do {
                try await keys.reload()
                let used = keys.drainUsed()
                try await store.touchAPIKeys(ids: Array(used), at: Date())
            } catch {
                logger.debug("key refresh failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
