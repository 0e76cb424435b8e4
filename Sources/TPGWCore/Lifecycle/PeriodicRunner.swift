/// Runs work every `interval` on a clock until shutdown: the one way background loops wait, so tests drive them
/// with a manual clock instead of sleeping.
package struct PeriodicRunner<C: Clock<Duration>>: Sendable {
    package let interval: Duration
    package let clock: C
    /// Run once at start (true) or only after the first interval.
    package var runImmediately = true

    package init(interval: Duration, clock: C, runImmediately: Bool = true) {
        self.interval = interval
        self.clock = clock
        self.runImmediately = runImmediately
    }

    /// Calls `work` on every tick until `shutdown` is triggered or the task is cancelled. Ticks keep their cadence;
    /// ticks missed (a long tick, a suspended process) are skipped, never run in a burst, and the cadence restarts
    /// from now. Errors from `work` are the caller's to handle (log them inside `work`).
    package func run(until shutdown: ShutdownSignal, _ work: @Sendable () async -> Void) async {
        var next = clock.now
        if !runImmediately { next = next.advanced(by: interval) }
        while !shutdown.isTriggered && !Task.isCancelled {
            if clock.now < next {
                guard await shutdown.sleep(until: next, on: clock) else { return }
            }
            await work()
            next = next.advanced(by: interval)
            if next <= clock.now { next = clock.now.advanced(by: interval) }
        }
    }
}
