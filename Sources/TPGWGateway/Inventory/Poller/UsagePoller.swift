import Foundation
import Synchronization
import TPGWCore
import TPGWStore

/// Polls every registered source on its interval and writes what it reads.
///
/// Scheduling lives in the database (`sources.next_poll_at`): each replica claims due sources with
/// `FOR UPDATE SKIP LOCKED`, and a claim moves the source one interval on, so with several replicas
/// on one database each source is polled by exactly one of them per interval. A replica that dies
/// holds nothing: its sources come due again at their next slot and another replica claims them.
/// Up to `maxConcurrentSources` polls run at once per replica.
///
/// Replicas may run different configurations (a rolling update). Once `register`ed, a replica heartbeats the
/// sources its configuration names every `heartbeatInterval`, claims only those, and polls them with the endpoint
/// its configuration gives (never the stored copy). A source stays enabled while any replica heartbeating within
/// `claimLiveFor` names it, and is disabled by the next heartbeat of any replica after the last such claim went
/// stale: at most `claimLiveFor + heartbeatInterval` (4 minutes by default) after its last naming replica stopped
/// or stopped naming it.
package final class UsagePoller: Sendable {
    package struct Configuration: Sendable {
        /// Names this replica in leases and poll runs: the gateway's one replica identity
        /// (`GatewayConfiguration.replicaID`).
        package var replicaID: String
        /// Polls in flight at once on this replica (default 8).
        package var maxConcurrentSources: Int
        /// Longest sleep between looks at the schedule (default 1 s).
        package var tick: Duration
        /// A new source's first poll falls at a random point within this fraction of its interval (default 0.1).
        package var jitter: Double
        /// A snapshot per package at least this often, even without change (default 3600 s).
        package var heartbeat: TimeInterval
        /// Tries of one poll's write transaction (default 3).
        package var writeAttempts: Int
        /// How long a claim lasts before other replicas may take the source over (default 120 s;
        /// keep it above the BCE client's per-source deadline so a slow poll is not doubled).
        package var leaseSeconds: Double
        /// How often a registered replica renews its claims on the sources its configuration names (default 60 s).
        package var heartbeatInterval: TimeInterval
        /// How long a claim keeps a source enabled without renewal (default 180 s: three missed heartbeats).
        package var claimLiveFor: TimeInterval
        /// What decides which sources are due and when leases run out: the database clock (true, the default: replicas'
        /// clocks need not agree), or the poller's `now` (tests driving the schedule with a manual clock).
        package var databaseClock = true

        package init(
            replicaID: String,
            maxConcurrentSources: Int = 8, tick: Duration = .seconds(1), jitter: Double = 0.1, heartbeat: TimeInterval = 3600,
            writeAttempts: Int = 3, leaseSeconds: Double = 120, heartbeatInterval: TimeInterval = 60, claimLiveFor: TimeInterval = 180
        ) {
            self.heartbeatInterval = heartbeatInterval
            self.claimLiveFor = claimLiveFor
            self.replicaID = replicaID
            self.maxConcurrentSources = max(1, maxConcurrentSources)
            self.tick = tick
            self.jitter = jitter
            self.heartbeat = heartbeat
            self.writeAttempts = max(1, writeAttempts)
            self.leaseSeconds = leaseSeconds
        }
    }

    package let configuration: Configuration
    private let store: PostgresStore
    private let reader: any SourceReader
    private let logger: Logger
    private let onPolled: @Sendable (PollWriteResult) async -> Void
    /// Forecast features folded at poll time and written in the poll's transaction (nil: none kept).
    private let forecastFeatures: ForecastFeatureStore?
    private let now: @Sendable () -> Date
    private let inFlight = Atomic<Int>(0)
    /// Last error text logged per source, so a failing source logs once per change, not every poll.
    private let lastLogged = Mutex<[SourceID: String]>([:])
    /// The sources this replica's configuration names, once registered; nil before (then every enabled source is
    /// claimed, with its stored endpoint: tools and tests that register sources in the store directly).
    private let configured = Mutex<[SourceID: SourceConfig]?>(nil)
    /// When this replica last renewed its claims (by `now`).
    private let lastHeartbeat = Mutex<Date?>(nil)

    /// - Parameters:
    ///   - onPolled: called after every successful poll write (API cache, alert engine).
    ///   - now: the clock for poll-run start times (tests pass a manual one).
    ///   - forecastFeatures: this replica's forecast features: each poll folds into them and writes those that closed
    ///     an hour in its transaction (`ForecastFeatureStore.foldPoll`).
    package init(
        store: PostgresStore, reader: any SourceReader, configuration: Configuration, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }, forecastFeatures: ForecastFeatureStore? = nil,
        onPolled: @escaping @Sendable (PollWriteResult) async -> Void = { _ in }
    ) {
        self.forecastFeatures = forecastFeatures
        self.store = store
        self.reader = reader
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.onPolled = onPolled
    }

    /// Makes `sources` this replica's configured sources and heartbeats them at once: new ones are registered
    /// (with a jittered first poll); sources no live replica names any more are disabled.
    package func register(_ sources: [SourceConfig]) async throws {
        configured.withLock { $0 = Dictionary(sources.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last }) }
        try await heartbeat(now: now())
    }

    /// Renews this replica's claims as of `now` (a no-op before `register`). `run` calls it every
    /// `heartbeatInterval`; tests call it with the `now` they want.
    @discardableResult
    package func heartbeat(now: Date) async throws -> SourceClaimChanges {
        guard let sources = configured.withLock({ $0 }) else { return SourceClaimChanges() }
        let changes = try await store.heartbeatSources(
            replica: configuration.replicaID, configs: sources.values.sorted { $0.id < $1.id }, now: now, liveFor: configuration.claimLiveFor,
            initialJitter: configuration.jitter)
        lastHeartbeat.withLock { $0 = now }
        if !changes.enabled.isEmpty || !changes.disabled.isEmpty {
            logger.notice("Sources changed by replica claims", metadata: [
                "poll.replica": configuration.replicaID, "sources.enabled": changes.enabled.map(\.description).joined(separator: ","),
                "sources.disabled": changes.disabled.map(\.description).joined(separator: ","),
            ])
        }
        return changes
    }

    /// The source to poll for a claim: this replica's configuration of it when it has one (the stored endpoint may be
    /// another replica's or an old one).
    private func resolved(_ claimed: SourceConfig) -> SourceConfig {
        configured.withLock { $0?[claimed.id] } ?? claimed
    }

    private var configuredIDs: [SourceID]? { configured.withLock { $0.map { Array($0.keys).sorted() } } }

    /// Heartbeats when one is due; a failure is logged and retried at the next tick.
    private func heartbeatIfDue() async {
        let at = now()
        let due = lastHeartbeat.withLock { last in last.map { at.timeIntervalSince($0) >= configuration.heartbeatInterval } ?? true }
        guard due, configured.withLock({ $0 != nil }) else { return }
        do {
            try await heartbeat(now: at)
        } catch {
            logger.warning("Cannot renew source claims", metadata: ["db.error": "\(error)", "poll.replica": configuration.replicaID])
        }
    }

    /// The poller as a service: polls due sources until shutdown, waiting on `clock` between looks at the schedule.
    package func service<C: Clock<Duration>>(clock: C) -> ClosureService {
        ClosureService("poller") { shutdown in await self.run(until: shutdown, clock: clock) }
    }

    /// Polls due sources until `shutdown` (in-flight polls finish before it returns) or the task is cancelled
    /// (in-flight polls are cut short and their sources handed back). Waits on `clock`; the database says what is due.
    package func run<C: Clock<Duration>>(until shutdown: ShutdownSignal, clock: C) async {
        logger.info("Poller started", metadata: ["poll.replica": configuration.replicaID])
        await withDiscardingTaskGroup { group in
            var lastClaimError: String?
            while !Task.isCancelled && !shutdown.isTriggered {
                await heartbeatIfDue()
                let free = configuration.maxConcurrentSources - inFlight.load(ordering: .relaxed)
                if free > 0 {
                    do {
                        let claims = try await store.claimDueSources(
                            owner: configuration.replicaID, limit: free, leaseSeconds: configuration.leaseSeconds, only: configuredIDs,
                            now: scheduleNow)
                        lastClaimError = nil
                        for claim in claims {
                            inFlight.add(1, ordering: .relaxed)
                            let source = resolved(claim.config)
                            group.addTask {
                                _ = await self.poll(source)
                                self.inFlight.subtract(1, ordering: .relaxed)
                            }
                        }
                    } catch {
                        let text = "\(error)"
                        if lastClaimError != text {
                            logger.warning("Cannot claim due sources", metadata: ["db.error": text])
                            lastClaimError = text
                        }
                    }
                }
                guard await shutdown.sleep(for: await nextWait(), on: clock) else { break }
            }
        }
        logger.info("Poller stopped", metadata: ["poll.replica": configuration.replicaID])
    }

    /// Polls `sources` (all registered ones when nil) now, whatever their schedule, and answers with
    /// the outcome per source. Unknown sources answer `.unknownSource`.
    package func refresh(_ sources: [SourceID]?) async -> [SourceID: PollOutcome] {
        let registered: [SourceHealth]
        do {
            registered = try await store.sources()
        } catch {
            let message = error.appError.message
            return Dictionary(uniqueKeysWithValues: (sources ?? []).map { ($0, PollOutcome.writeFailed(message: message)) })
        }
        let byID = Dictionary(uniqueKeysWithValues: registered.map { ($0.id, $0) })
        let wanted = sources ?? registered.map(\.id)
        var outcomes: [SourceID: PollOutcome] = [:]
        var configs: [SourceConfig] = []
        for id in wanted {
            if let health = byID[id] {
                configs.append(resolved(SourceConfig(id: id, endpoint: health.endpoint, pollIntervalSeconds: health.pollIntervalSeconds)))
            } else {
                outcomes[id] = .unknownSource
            }
        }
        let limit = configuration.maxConcurrentSources
        await withTaskGroup(of: (SourceID, PollOutcome).self) { group in
            var next = 0
            while next < configs.count && next < limit {
                let config = configs[next]
                group.addTask { (config.id, await self.poll(config)) }
                next += 1
            }
            while let (id, outcome) = await group.next() {
                outcomes[id] = outcome
                if next < configs.count {
                    let config = configs[next]
                    group.addTask { (config.id, await self.poll(config)) }
                    next += 1
                }
            }
        }
        return outcomes
    }

    /// One poll: read every page, then write everything in one transaction (or record the failure).
    package func poll(_ source: SourceConfig) async -> PollOutcome {
        let startedAt = now()
        let read = await reader.read(source)
        let log = logger.with(["poll.source": source.id.description, "poll.replica": configuration.replicaID])
        switch read.result {
        case .failure where Task.isCancelled:
            // Shutting down: the read was cut short by us, not by the upstream. Record nothing and
            // hand the source back so another replica polls it now.
            try? await store.releaseClaim(source.id, owner: configuration.replicaID)
            return .readFailed(code: "cancelled", message: "the poll was cancelled")
        case .failure(let error):
            noteFailure(source.id, "\(error.code): \(error.message)", log: log)
            do {
                try await store.recordPollFailure(
                    source: source.id, startedAt: startedAt, finishedAt: max(read.observedAt, startedAt), outcome: .readFailed,
                    code: error.code, message: error.message, latency: read.latency, replica: configuration.replicaID)
            } catch {
                log.warning("Cannot record poll failure", metadata: ["db.error": error.message])
            }
            return .readFailed(code: error.code, message: error.message)
        case .success(let packages):
            do {
                // Observed when the view will see them (the source's last success, as stored), so the rebuild's fold is a no-op.
                let storedAt = PostgresTimestamp.stored(read.observedAt)
                let folded = forecastFeatures?.foldPoll(source: source.id, packages: packages.map {
                    var state = $0.state
                    state.observedAt = storedAt
                    return state
                })
                let result = try await store.applyPoll(
                    source: source.id, startedAt: startedAt, observedAt: read.observedAt, packages: packages, skipped: read.skipped,
                    latency: read.latency, replica: configuration.replicaID, heartbeat: configuration.heartbeat,
                    attempts: configuration.writeAttempts, features: folded?.rows ?? [])
                if let folded { forecastFeatures?.commit(folded) }
                if read.skipped.isEmpty {
                    noteSuccess(source.id, log: log)
                } else {
                    noteFailure(source.id, SkippedPackage.report(read.skipped), log: log, message: "Poll skipped packages")
                }
                log.debug("Polled", metadata: [
                    "poll.packages": "\(result.packagesSeen)", "poll.snapshots": "\(result.snapshotsWritten)",
                    "poll.released": "\(result.released.count)",
                ])
                await onPolled(result)
                return .ok(result)
            } catch {
                if error.code == .notFound { return .unknownSource }
                noteFailure(source.id, "write: \(error.message)", log: log)
                let message = error.appError.message
                try? await store.recordPollFailure(
                    source: source.id, startedAt: startedAt, finishedAt: now(), outcome: .writeFailed, code: "writeFailed",
                    message: message, latency: read.latency, replica: configuration.replicaID)
                return .writeFailed(message: message)
            }
        }
    }

    /// Until the next source is due by the database clock, capped at `tick`, at least 20 ms.
    private func nextWait() async -> Duration {
        guard let (next, dbNow) = try? await store.nextDue(only: configuredIDs, now: scheduleNow), let next else { return configuration.tick }
        let seconds = next.timeIntervalSince(dbNow)
        let wait = Duration.milliseconds(Int64(saturating: max(0.02, seconds) * 1000))
        return min(wait, configuration.tick)
    }

    /// The time the schedule is read at: nil for the database clock.
    private var scheduleNow: Date? { configuration.databaseClock ? nil : now() }

    private func noteFailure(_ source: SourceID, _ text: String, log: Logger, message: String = "Poll failed") {
        let changed = lastLogged.withLock { seen in
            defer { seen[source] = text }
            return seen[source] != text
        }
        if changed { log.warning(message, metadata: ["poll.error": text]) }
    }

    private func noteSuccess(_ source: SourceID, log: Logger) {
        let wasFailing = lastLogged.withLock { $0.removeValue(forKey: source) != nil }
        if wasFailing { log.info("Poll recovered") }
    }
}
