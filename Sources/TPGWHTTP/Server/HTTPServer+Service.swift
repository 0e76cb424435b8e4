import TPGWCore

extension HTTPServer: Service {
    package var name: String { "http" }

    /// Serves (binding first unless `start()` already did) until `shutdown`, then stops gracefully: no new
    /// connections, in-flight requests finish, the rest are closed at `shutdownDeadline`.
    package func run(until shutdown: ShutdownSignal) async throws {
        try start()
        await withTaskCancellationHandler {
            await shutdown.wait()
        } onCancel: {
            shutdown.trigger()
        }
        await self.shutdown()
    }
}
