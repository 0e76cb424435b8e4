import Synchronization
import Testing
import TPGWCore
import TPGWTestSupport

@Suite struct ServiceGroupTests {
    final class Journal: Sendable {
        private let lines = Mutex<[String]>([])
        func add(_ s: String) { lines.withLock { $0.append(s) } }
        var all: [String] { lines.withLock { $0 } }
    }

    struct Recorded: Service {
        let name: String
        let journal: Journal
        func run(until shutdown: ShutdownSignal) async throws {
            journal.add("start \(name)")
            await shutdown.wait()
            journal.add("stop \(name)")
        }
    }

    struct Failing: Service {
        let name = "failing"
        struct Boom: Error {}
        func run(until shutdown: ShutdownSignal) async throws { throw Boom() }
    }

    /// Ignores its shutdown signal; only cancellation ends it.
    struct Stubborn: Service {
        let name = "stubborn"
        let journal: Journal
        func run(until shutdown: ShutdownSignal) async throws {
            await ShutdownSignal().wait()  // never triggered: returns only on cancellation
            journal.add("cancelled \(name)")
        }
    }

    /// Waits (bounded) until `journal` has `n` lines.
    static func waitFor(_ journal: Journal, lines n: Int) async {
        for _ in 0..<100_000 where journal.all.count < n { await Task.yield() }
    }

    @Test func startsInOrder_stopsInReverseOrder() async throws {
        let journal = Journal()
        let clock = ManualClock()
        let group = ServiceGroup(services: ["db", "poller", "http"].map { Recorded(name: $0, journal: journal) }, clock: clock, logger: .disabled)
        let shutdown = ShutdownSignal()
        let running = Task { try await group.run(until: shutdown) }
        await Self.waitFor(journal, lines: 3)
        #expect(Set(journal.all) == ["start db", "start poller", "start http"])
        shutdown.trigger()
        try await running.value
        #expect(Array(journal.all.suffix(3)) == ["stop http", "stop poller", "stop db"])
    }

    @Test func oneServiceFailing_stopsTheWholeGroup_andRethrows() async throws {
        let journal = Journal()
        let group = ServiceGroup(services: [Recorded(name: "a", journal: journal), Failing(), Recorded(name: "b", journal: journal)],
                                 clock: ManualClock(), logger: .disabled)
        await #expect(throws: Failing.Boom.self) { try await group.run(until: ShutdownSignal()) }
        #expect(journal.all.contains("stop a"))
        #expect(journal.all.contains("stop b"))
    }

    @Test func serviceMissingTheDeadline_isCancelled_whenTheClockPassesIt() async throws {
        let journal = Journal()
        let clock = ManualClock()
        let group = ServiceGroup(services: [Recorded(name: "a", journal: journal), Stubborn(journal: journal)],
                                 gracefulDeadline: .seconds(5), clock: clock, logger: .disabled)
        let shutdown = ShutdownSignal()
        let running = Task { try await group.run(until: shutdown) }
        await Self.waitFor(journal, lines: 1)
        shutdown.trigger()
        await clock.waitForSleepers(1)  // the deadline timer
        #expect(!journal.all.contains("cancelled stubborn"))
        clock.advance(by: .seconds(4))
        #expect(!journal.all.contains("cancelled stubborn"), "not before the deadline")
        clock.advance(by: .seconds(1))
        try await running.value
        #expect(journal.all.contains("cancelled stubborn"))
        #expect(journal.all.contains("stop a"))
    }

    @Test func periodicRunner_ticksOnTheClock_andStopsMidSleep() async throws {
        let clock = ManualClock()
        let ticks = Mutex(0)
        let shutdown = ShutdownSignal()
        let runner = PeriodicRunner(interval: .seconds(60), clock: clock)
        let loop = Task { await runner.run(until: shutdown) { ticks.withLock { $0 += 1 } } }
        await clock.waitForSleepers(1)
        #expect(ticks.withLock { $0 } == 1, "runs once at start")
        clock.advance(by: .seconds(59))
        #expect(ticks.withLock { $0 } == 1)
        clock.advance(by: .seconds(1))
        await clock.waitForSleepers(1)
        #expect(ticks.withLock { $0 } == 2)
        clock.advance(by: .seconds(600))  // a long pause: one tick, not ten
        await clock.waitForSleepers(1)
        #expect(ticks.withLock { $0 } == 3)
        shutdown.trigger()
        await loop.value
        #expect(clock.sleeperCount == 0)
    }
}
