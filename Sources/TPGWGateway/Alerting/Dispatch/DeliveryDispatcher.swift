import Foundation
import Synchronization
import TPGWCore
import TPGWHTTPClient
import TPGWStore

/// Sends due outbox rows: claims them with a lease (`FOR UPDATE SKIP LOCKED`, database clock), formats and sends
/// each (or a digest, when a channel's rate limit says so), records every attempt as soon as it ends, and schedules
/// retries per ``DeliveryRetryPolicy``. At-least-once: a claim never recorded (crash) expires and is sent again,
/// same id.
///
/// Channels are isolated: each channel's claimed rows are sent by a job of their own, and while a job runs the
/// channel's other rows are not claimed by this dispatcher, so a hanging receiver holds up only its own channel.
/// A job renews its claims while a send is in flight, so a slow round never lets another replica send the same
/// row. Rate limits are planned against a send log shared by every replica (`channel_sends`).
package final class DeliveryDispatcher: Sendable {
    package struct Configuration: Sendable {
        /// Names this dispatcher in claims (`claimed_by`).
        package var owner: String
        /// How long a claim holds (database clock) before another dispatcher may take the row; renewed every
        /// third of it while a send is in flight.
        package var lease: TimeInterval = 60
        package var batchSize: Int = 200
        /// Channel jobs running at once; no new rows are claimed while all are busy.
        package var concurrency: Int = 32
        /// Sends in flight at once to one channel (robots are held to their rate limits by the planner anyway).
        var perChannelConcurrency: Int = 16
        /// Results recorded in one transaction at most; a job also records whenever nothing else is in flight or
        /// 100 ms have passed since its last write, so one slow send never holds back the others' records for long.
        var recordBatch: Int = 64
        package var timeout: Duration = .seconds(10)
        /// Idle poll interval (another replica's rows, retries coming due).
        package var tick: Duration = .seconds(1)
        var publicURL: String?
        var retryPolicy = DeliveryRetryPolicy()
        /// Which addresses webhooks may reach (checked again on the connected address at every send).
        package var networkPolicy = NetworkPolicy()

        package init(owner: String) {
            self.owner = owner
        }
    }

    /// What one round did.
    package struct Round: Sendable, Equatable {
        package var claimed = 0
        package var sent = 0
        package var delivered = 0
        package var retrying = 0
        package var dead = 0
        package var failed = 0
        package var deferred = 0

        static func + (a: Round, b: Round) -> Round {
            Round(claimed: a.claimed + b.claimed, sent: a.sent + b.sent, delivered: a.delivered + b.delivered,
                  retrying: a.retrying + b.retrying, dead: a.dead + b.dead, failed: a.failed + b.failed, deferred: a.deferred + b.deferred)
        }
    }

    /// One channel's share of a claim: its sends, in order.
    struct Job: Sendable {
        var channelID: String
        var format: String
        var sends: [Send]
    }

    let configuration: Configuration
    private let store: PostgresStore
    private let sender: DeliverySender
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let jitter: @Sendable () -> Double
    private let metrics: GatewayMetrics?
    /// What the idle tick and claim renewals wait on.
    private let clock: AnyClock
    /// Channels with a job running on this dispatcher.
    private let busy = Mutex<Set<String>>([])
    private let wakeSignal: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation

    package init(
        store: PostgresStore, client: HTTPClient, configuration: Configuration, logger: Logger, metrics: GatewayMetrics? = nil,
        clock: some Clock<Duration> = ContinuousClock(), now: @escaping @Sendable () -> Date = { Date() },
        jitter: @escaping @Sendable () -> Double = { .random(in: -1...1) }
    ) {
        self.store = store
        self.clock = (clock as? AnyClock) ?? AnyClock(clock)
        self.configuration = configuration
        self.sender = DeliverySender(client: client, timeout: configuration.timeout, policy: configuration.networkPolicy)
        self.logger = logger
        self.metrics = metrics
        self.now = now
        self.jitter = jitter
        (wakeSignal, wakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks the loop to look for due rows now (new outbox rows were committed).
    package func wake() { wakeContinuation.yield() }

    /// The dispatcher as a service (see `run(until:)`).
    var service: ClosureService { ClosureService("dispatcher") { shutdown in await self.run(until: shutdown) } }

    /// Claims rows and starts channel jobs until `shutdown`, without waiting for running jobs between rounds; idles
    /// for `tick` on the clock (or until woken) when nothing was due. At shutdown, running jobs finish their sends;
    /// cancelled jobs leave their claims to expire.
    package func run(until shutdown: ShutdownSignal) async {
        // Discarding: finished channel jobs must not pile up in the group for the life of the process.
        await withDiscardingTaskGroup { group in
            group.addTask { [wakeContinuation, tick = configuration.tick, clock] in
                await PeriodicRunner(interval: tick, clock: clock, runImmediately: false).run(until: shutdown) { wakeContinuation.yield() }
            }
            group.addTask { [wakeContinuation] in
                await shutdown.wait()
                wakeContinuation.yield()
            }
            for await _ in wakeSignal {
                if Task.isCancelled || shutdown.isTriggered { break }
                while !Task.isCancelled, !shutdown.isTriggered, busy.withLock({ $0.count }) < configuration.concurrency {
                    do {
                        let (claimed, jobs, _) = try await claimAndPlan()
                        for job in jobs {
                            busy.withLock { _ = $0.insert(job.channelID) }
                            group.addTask {
                                _ = await self.execute(job)
                                self.busy.withLock { _ = $0.remove(job.channelID) }
                                self.wake()
                            }
                        }
                        if claimed < configuration.batchSize { break }
                    } catch is CancellationError {
                        break
                    } catch {
                        logger.warning("delivery round failed", metadata: ["error": "\(error)"])
                        break
                    }
                }
            }
        }
    }

    /// One round, waiting for every job it starts: claim due rows, send, record. (Tests and benchmarks.)
    @discardableResult
    package func runOnce() async throws -> Round {
        let (claimed, jobs, planned) = try await claimAndPlan()
        var round = planned
        round.claimed = claimed
        round = await withTaskGroup(of: Round.self) { group in
            for job in jobs { group.addTask { await self.execute(job) } }
            return await group.reduce(round, +)
        }
        return round
    }

    /// Claims due rows of channels not busy here, records missing channels and rate-limit waits, and splits the
    /// rest into one job per channel.
    private func claimAndPlan() async throws -> (claimed: Int, jobs: [Job], round: Round) {
        let started = now()
        let claimed = try await store.claimDeliveries(
            owner: configuration.owner, now: started, lease: configuration.lease, limit: configuration.batchSize,
            excludingChannels: Array(busy.withLock { $0 }))
        var round = Round()
        guard !claimed.isEmpty else { return (0, [], round) }
        let channels = try await store.channels(ids: Array(Set(claimed.map(\.channelID))))
        let byID = Dictionary(channels.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        var order: [String] = []
        var grouped: [String: [DeliveryRecord]] = [:]
        for d in claimed {
            if grouped[d.channelID] == nil { order.append(d.channelID) }
            grouped[d.channelID, default: []].append(d)
        }
        var updates: [DeliveryUpdate] = []
        var settingsByChannel: [String: ChannelSettings] = [:]
        for channelID in order {
            guard let channel = byID[channelID], let settings = Self.settings(channel, publicURL: configuration.publicURL) else {
                for d in grouped[channelID] ?? [] {
                    updates.append(.init(id: d.id, state: "failed", nextAttemptAt: started, lastError: "channel is missing or invalid"))
                }
                round.failed += grouped[channelID]?.count ?? 0
                continue
            }
            settingsByChannel[channelID] = settings
        }
        let steps = try await plan(order.filter { settingsByChannel[$0] != nil }, grouped: grouped, settings: settingsByChannel, now: started)
        var jobs: [Job] = []
        for channelID in order {
            guard let settings = settingsByChannel[channelID] else { continue }
            var sends: [Send] = []
            for step in steps[channelID] ?? [] {
                switch step {
                case .single(let group): sends.append(Send(deliveries: group, settings: settings))
                case .digest(let groups): sends.append(Send(deliveries: groups.flatMap { $0 }, settings: settings))
                case .wait(let groups, let until):
                    for d in groups.joined() {
                        round.deferred += 1
                        updates.append(.init(id: d.id, state: "pending", nextAttemptAt: until, lastError: d.lastError))
                    }
                }
            }
            if !sends.isEmpty { jobs.append(Job(channelID: channelID, format: settings.format.rawValue, sends: sends)) }
        }
        try await store.recordDeliveries(updates, owner: configuration.owner)
        return (claimed.count, jobs, round)
    }

    /// Each channel's sends under its rate limit; limited channels are planned against the shared send log. The
    /// unit is a notification group (``NotificationGroups``): its rows go out as one message.
    private func plan(
        _ channelIDs: [String], grouped byChannel: [String: [DeliveryRecord]], settings: [String: ChannelSettings], now: Date
    ) async throws -> [String: [DeliveryPlanner.Step<[DeliveryRecord]>]] {
        var steps: [String: [DeliveryPlanner.Step<[DeliveryRecord]>]] = [:]
        var limited: [String] = []
        var grouped: [String: [[DeliveryRecord]]] = [:]
        for id in channelIDs { grouped[id] = NotificationGroups.split(byChannel[id] ?? []) }
        for id in channelIDs {
            guard let format = settings[id]?.format else { continue }
            if format.rateLimits.isEmpty {
                steps[id] = (grouped[id] ?? []).map { .single($0) }
            } else {
                limited.append(id)
            }
        }
        guard !limited.isEmpty else { return steps }
        let window = limited.compactMap { settings[$0]?.format.rateLimits.map(\.per).max() }.max() ?? 0
        let channels = limited
        let planned = try await store.planChannelSends(channelIDs: channels, now: now, window: window) { [grouped] sent in
            var out: [String: [DeliveryPlanner.Step<[DeliveryRecord]>]] = [:]
            var taken: [String: [Date]] = [:]
            for id in channels {
                guard let format = settings[id]?.format else { continue }
                var limiter = SlidingWindowLimiter(limits: format.rateLimits, sent: sent[id] ?? [])
                let steps = DeliveryPlanner.plan(grouped[id] ?? [], limiter: &limiter, now: now)
                out[id] = steps
                let sends = steps.filter { if case .wait = $0 { false } else { true } }.count
                taken[id] = Array(repeating: now, count: sends)
            }
            return (out, taken)
        }
        return steps.merging(planned) { a, _ in a }
    }

    /// Sends one channel's messages (a few at once), recording each as soon as it ends, and keeps the job's claims
    /// alive meanwhile.
    private func execute(_ job: Job) async -> Round {
        let ids = job.sends.flatMap { $0.deliveries.map(\.id) }
        let renewing = ShutdownSignal()
        let renewal = Task { [store, configuration, clock] in
            let every = Duration.milliseconds(Int64(max(0.05, configuration.lease / 3) * 1000))
            await PeriodicRunner(interval: every, clock: clock, runImmediately: false).run(until: renewing) {
                _ = try? await store.renewClaims(ids: ids, owner: configuration.owner, lease: configuration.lease)
            }
        }
        defer {
            renewing.trigger()
            renewal.cancel()
        }
        var round = Round(sent: job.sends.count)
        var pending: [DeliveryUpdate] = []
        var lastWrite = clock.now
        func record() async {
            guard !pending.isEmpty else { return }
            do {
                try await store.recordDeliveries(pending, owner: configuration.owner)
            } catch {
                logger.warning("recording deliveries failed", metadata: ["error": "\(error)", "channel.id": job.channelID])
            }
            for u in pending {
                switch u.state {
                case "delivered": round.delivered += 1
                case "dead": round.dead += 1
                case "failed": round.failed += 1
                default: round.retrying += 1
                }
                metrics?.deliveries.series([job.format, u.attempt?.outcome ?? u.state]).increment()
            }
            if let metrics, pending.contains(where: { $0.state == "dead" }) {
                metrics.deadLetters.set((try? await store.deliveryCounts()["dead"]) ?? 0)
            }
            pending.removeAll(keepingCapacity: true)
            lastWrite = clock.now
        }
        await withTaskGroup(of: [DeliveryUpdate].self) { group in
            var iterator = job.sends.makeIterator()
            var inFlight = 0
            while inFlight < max(1, configuration.perChannelConcurrency), let send = iterator.next() {
                group.addTask { await self.perform(send) }
                inFlight += 1
            }
            while let updates = await group.next() {
                inFlight -= 1
                if let send = iterator.next() {
                    group.addTask { await self.perform(send) }
                    inFlight += 1
                }
                pending += updates  // empty when cancelled: the claims expire and the rows are sent again
                if pending.count >= configuration.recordBatch || inFlight == 0 || lastWrite.duration(to: clock.now) >= .milliseconds(100) {
                    await record()
                }
            }
            await record()
        }
        return round
    }

    /// One message: a single delivery or a digest of several for one channel.
    struct Send: Sendable {
        var deliveries: [DeliveryRecord]
        var settings: ChannelSettings
    }

    private func perform(_ send: Send) async -> [DeliveryUpdate] {
        let lead = send.deliveries[0]
        let at = now()
        let events = send.deliveries.flatMap { StoredAlertEvent.decode($0.payload) ?? [] }
        guard !events.isEmpty else {
            return send.deliveries.map { .init(id: $0.id, state: "failed", nextAttemptAt: at, lastError: "payload does not decode") }
        }
        let request = ChannelFormatter.makeRequest(events: events, settings: send.settings, deliveryID: lead.id, now: at)
        let secrets = [send.settings.url, request.url, send.settings.secret ?? ""]
        let result: DeliveryResult
        let latency: Int
        let excerpt: String?
        do {
            (result, latency, excerpt) = try await sender.send(request, secrets: secrets)
        } catch {
            // Cancelled (shutdown): leave the claim to expire, so the row is sent again later.
            return []
        }
        let done = now()
        let outcome = ResponseClassifier.classify(result, format: send.settings.format, now: done)
        var status: Int?
        if case .response(let code, _, _) = result { status = code }
        return send.deliveries.map { d in
            let decision = configuration.retryPolicy.decide(
                outcome, attempt: d.attempts + 1, firstAttemptAt: d.createdAt, now: done, jitter: jitter())
            let folded = send.deliveries.count > 1 && d.id != lead.id ? lead.id : nil
            var update = DeliveryUpdate(id: d.id, state: "pending", nextAttemptAt: done, foldedInto: folded)
            let reason: String?
            switch decision {
            case .delivered:
                update.state = "delivered"
                update.deliveredAt = done
                reason = nil
            case .retry(let next):
                update.nextAttemptAt = next
                reason = Self.reason(outcome)
            case .dead(let why):
                update.state = "dead"
                reason = why
            case .failed(let why):
                update.state = "failed"
                reason = why
            }
            let error = reason.map { DeliverySender.scrub($0, secrets: secrets) }
            update.lastError = error
            update.attempt = DeliveryAttemptRecord(
                deliveryID: d.id, attemptedAt: at, status: status, latencyMs: latency,
                outcome: update.state == "pending" ? "retry" : update.state, error: error, responseExcerpt: excerpt)
            if update.state != "delivered" {
                logger.info("delivery attempt failed", metadata: [
                    "delivery.id": d.id, "channel.id": d.channelID, "channel.format": send.settings.format.rawValue,
                    "delivery.state": update.state, "error": error ?? "",
                ])
            }
            return update
        }
    }

    static func reason(_ outcome: DeliveryOutcome) -> String? {
        switch outcome {
        case .delivered: nil
        case .retryable(let reason, _), .permanent(let reason): reason
        }
    }

    /// A channel's formatter settings; nil when its stored format or language is unknown.
    static func settings(_ c: ChannelRecord, publicURL: String?) -> ChannelSettings? {
        guard let format = ChannelFormat(rawValue: c.format) else { return nil }
        return ChannelSettings(
            format: format, url: c.url, secret: c.secret, language: ChannelSettings.Language(rawValue: c.language) ?? .en,
            publicURL: publicURL)
    }
}
