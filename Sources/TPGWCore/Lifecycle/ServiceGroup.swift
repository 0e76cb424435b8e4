/// Runs services together, the way the gateway's start and stop order is written down: started in order,
/// stopped in reverse order when the group's shutdown is triggered or any service ends (returns or throws).
///
/// Each service gets a shutdown signal of its own; stopping triggers them last-started first, waiting for each
/// to return. Whatever has not stopped when `gracefulDeadline` (measured on `clock`) runs out is cancelled.
/// `run` returns when every service has stopped and rethrows the first service failure.
package struct ServiceGroup<C: Clock<Duration>>: Sendable {
    package let services: [any Service]
    package let gracefulDeadline: Duration
    package let clock: C
    package let logger: Logger

    package init(services: [any Service], gracefulDeadline: Duration = .seconds(10), clock: C, logger: Logger) {
        self.services = services
        self.gracefulDeadline = gracefulDeadline
        self.clock = clock
        self.logger = logger
    }

    private enum Event: Sendable {
        case stopped(index: Int, error: (any Error)?)
        case shutdownRequested
        case deadline
    }

    package func run(until shutdown: ShutdownSignal) async throws {
        let signals = services.map { _ in ShutdownSignal() }
        var firstFailure: (any Error)?
        await withTaskGroup(of: Event.self) { group in
            for (i, service) in services.enumerated() {
                logger.debug("service starting", metadata: ["service": service.name])
                group.addTask {
                    do {
                        try await service.run(until: signals[i])
                        return .stopped(index: i, error: nil)
                    } catch {
                        return .stopped(index: i, error: error)
                    }
                }
            }
            group.addTask {
                await shutdown.wait()
                return .shutdownRequested
            }
            var running = Set(services.indices)
            func note(_ event: Event) {
                guard case .stopped(let i, let error) = event else { return }
                running.remove(i)
                if let error, !(error is CancellationError) {
                    logger.error("service failed", metadata: ["service": services[i].name, "error": "\(error)"])
                    if firstFailure == nil { firstFailure = error }
                } else {
                    logger.debug("service stopped", metadata: ["service": services[i].name])
                }
            }
            // Until a shutdown is asked for or some service ends.
            if let first = await group.next() {
                if case .stopped(let i, _) = first, !shutdown.isTriggered {
                    logger.notice("service ended; stopping the others", metadata: ["service": services[i].name])
                }
                note(first)
            }
            shutdown.trigger()  // ends the waiter child if a service ended first
            let deadline = clock.now.advanced(by: gracefulDeadline)
            group.addTask { [clock] in
                try? await clock.sleep(until: deadline, tolerance: nil)
                return .deadline
            }
            var expired = false
            for i in services.indices.reversed() where running.contains(i) {
                signals[i].trigger()
                while running.contains(i), let event = await group.next() {
                    if case .deadline = event {
                        expired = true
                        logger.warning("shutdown deadline passed; cancelling what is still running", metadata: [
                            "services": running.sorted().map { services[$0].name }.joined(separator: ","),
                        ])
                        group.cancelAll()
                    } else {
                        note(event)
                    }
                }
            }
            if !expired { group.cancelAll() }  // the deadline timer
            while let event = await group.next() { note(event) }
        }
        if let firstFailure { throw firstFailure }
    }
}
