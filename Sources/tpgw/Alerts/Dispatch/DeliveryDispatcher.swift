import Foundation
import Synchronization
import TPGWCore
import TPGWHTTPClient
import TPGWStore

/// Sends due outbox rows: claims them with a lease (`FOR UPDATE SKIP LOCKED`), formats and sends each (or a
/// digest, when a channel's rate limit says so), records every attempt, and schedules retries per
/// ``DeliveryRetryPolicy``. At-least-once: a claim never recorded (crash) expires and is sent again, same id.
final class DeliveryDispatcher: Sendable {
    struct Configuration: Sendable {
        /// Names this dispatcher in claims (`claimed_by`).
        var owner: String
        /// How long a claim holds before another dispatcher may take the row.
        var lease: TimeInterval = 60
        var batchSize: Int = 200
        /// Sends in flight at once.
        var concurrency: Int = 32
        var timeout: Duration = .seconds(10)
        /// Idle poll interval (another replica's rows, retries coming due).
        var tick: Duration = .seconds(1)
        var publicURL: String?
        var retryPolicy = DeliveryRetryPolicy()

        init(owner: String) {
            self.owner = owner
        }
    }

    /// What one round did.
    struct Round: Sendable, Equatable {
        var claimed = 0
        var sent = 0
        var delivered = 0
        var retrying = 0
        var dead = 0
        var failed = 0
        var deferred = 0
    }

    let configuration: Configuration
    private let store: PostgresStore
    private let sender: DeliverySender
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let jitter: @Sendable () -> Double
    private let metrics: GatewayMetrics?
    private let limiters = Mutex<[String: SlidingWindowLimiter]>([:])
    private let wakeSignal: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation

    init(
        store: PostgresStore, client: HTTPClient, configuration: Configuration, logger: Logger, metrics: GatewayMetrics? = nil,
        now: @escaping @Sendable () -> Date = { Date() }, jitter: @escaping @Sendable () -> Double = { .random(in: -1...1) }
    ) {
        self.store = store
        self.configuration = configuration
        self.sender = DeliverySender(client: client, timeout: configuration.timeout)
        self.logger = logger
        self.metrics = metrics
        self.now = now
        self.jitter = jitter
        (wakeSignal, wakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks the loop to look for due rows now (new outbox rows were committed).
    func wake() { wakeContinuation.yield() }

    /// Claims and sends rounds until cancelled; idles for `tick` (or until woken) when nothing was due.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [wakeContinuation, tick = configuration.tick] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: tick)
                    wakeContinuation.yield()
                }
            }
            for await _ in wakeSignal {
                if Task.isCancelled { break }
                while !Task.isCancelled {
                    do {
                        let round = try await runOnce()
                        if round.claimed < configuration.batchSize { break }
                    } catch is CancellationError {
                        break
                    } catch {
                        logger.warning("delivery round failed", metadata: ["error": "\(error)"])
                        break
                    }
                }
            }
            group.cancelAll()
        }
    }

    /// One round: claim due rows, send, record.
    @discardableResult
    func runOnce() async throws -> Round {
        let started = now()
        let claimed = try await store.claimDeliveries(
            owner: configuration.owner, now: started, lease: configuration.lease, limit: configuration.batchSize)
        var round = Round(claimed: claimed.count)
        guard !claimed.isEmpty else { return round }
        let channels = try await store.channels(ids: Array(Set(claimed.map(\.channelID))))
        let byID = Dictionary(channels.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        // Plan per channel, in claim order.
        var sends: [Send] = []
        var updates: [DeliveryUpdate] = []
        var order: [String] = []
        var grouped: [String: [DeliveryRecord]] = [:]
        for d in claimed {
            if grouped[d.channelID] == nil { order.append(d.channelID) }
            grouped[d.channelID, default: []].append(d)
        }
        for channelID in order {
            let items = grouped[channelID] ?? []
            guard let channel = byID[channelID], let settings = Self.settings(channel, publicURL: configuration.publicURL) else {
                for d in items { updates.append(.init(id: d.id, state: "failed", nextAttemptAt: started, lastError: "channel is missing or invalid")) }
                continue
            }
            let steps = limiters.withLock { all -> [DeliveryPlanner.Step<DeliveryRecord>] in
                var limiter = all[channelID] ?? SlidingWindowLimiter(format: settings.format)
                let steps = DeliveryPlanner.plan(items, limiter: &limiter, now: started)
                all[channelID] = limiter
                return steps
            }
            for step in steps {
                switch step {
                case .single(let d): sends.append(Send(deliveries: [d], settings: settings))
                case .digest(let ds): sends.append(Send(deliveries: ds, settings: settings))
                case .wait(let ds, let until):
                    round.deferred += ds.count
                    for d in ds { updates.append(.init(id: d.id, state: "pending", nextAttemptAt: until, lastError: d.lastError)) }
                }
            }
        }
        round.sent = sends.count
        let results = await withTaskGroup(of: [DeliveryUpdate].self) { group -> [DeliveryUpdate] in
            var out: [DeliveryUpdate] = []
            var iterator = sends.makeIterator()
            var inFlight = 0
            while inFlight < configuration.concurrency, let send = iterator.next() {
                group.addTask { await self.perform(send) }
                inFlight += 1
            }
            while let done = await group.next() {
                out += done
                if let send = iterator.next() { group.addTask { await self.perform(send) } }
            }
            return out
        }
        for u in results {
            switch u.state {
            case "delivered": round.delivered += 1
            case "dead": round.dead += 1
            case "failed": round.failed += 1
            default: round.retrying += 1
            }
        }
        try await store.recordDeliveries(updates + results, owner: configuration.owner)
        if let metrics {
            let formats = Dictionary(claimed.map { ($0.id, byID[$0.channelID]?.format ?? "unknown") }, uniquingKeysWith: { a, _ in a })
            for u in results { metrics.deliveries.series([formats[u.id] ?? "unknown", u.attempt?.outcome ?? u.state]).increment() }
            if round.dead > 0 { metrics.deadLetters.set(try await store.deliveryCounts()["dead"] ?? 0) }
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
