import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
import TPGWHTTP
import TPGWHTTPClient
import TPGWStore
@testable import TPGWGateway

/// The dispatcher against real PostgreSQL and a real receiver on 127.0.0.1 port 0, with a manual clock.
@Suite(.enabled(if: TestDatabase.isConfigured, "set TPGW_TEST_DATABASE_URL"))
struct DeliveryDispatcherTests {
    typealias F = AlertFixtures

    /// `n` firing alerts (one per package) for a new channel, committed at `F.t0` with their outbox rows.
    @discardableResult
    static func seed(_ db: TestDatabase, channel: ChannelRecord, count n: Int, prefix: String = "tp-", now: Date = F.t0,
                     inputs: LockedValue<AlertInputs> = LockedValue(AlertInputs(packages: []))) async throws -> [DeliveryRecord] {
        // Each seed has a region of its own, so seeding again leaves earlier alerts alone.
        let region = "r" + prefix.filter(\.isLetter)
        // One budget per package: each alert is a notification group of its own, so these dispatcher tests see one
        // message per alert (grouping is NotificationGroupingTests' subject).
        for i in 0..<n {
            try await F.budget(db.store, rules: [.usedRatio(thresholds: [0.8])], channels: [channel.id],
                               scope: BudgetScope(package: F.key("\(prefix)\(i)", region: region).description), name: "seed-\(prefix)\(i)")
        }
        // Packages seeded before stay in the inputs (pass the same `inputs`), so their alerts keep firing.
        inputs.withLock { $0.packages += (0..<n).map { F.package("\(prefix)\($0)", ratio: 0.9, region: region) } }
        try await F.engine(db.store, inputs: inputs).evaluate(now: now)
        return try await db.store.deliveries(state: "pending", limit: 100_000)
    }

    static func ok() -> HTTPResponse { .json(Array("{\"ok\":true}".utf8)) }

    @Test func receiver500Then200_isDeliveredOnce_withTheSameDeliveryID() async throws {
        try await TestDatabase.with { db in
            let receiver = try WebhookReceiver.start { n, _ in n == 1 ? HTTPResponse(status: .internalServerError) : Self.ok() }
            let client = HTTPClient()
            let clock = ManualClock()
            let channel = try await F.channel(db.store, url: receiver.url)
            let seeded = try await Self.seed(db, channel: channel, count: 1)
            let dispatcher = F.dispatcher(db.store, client: client, clock: clock)

            let first = try await dispatcher.runOnce()
            #expect(first.retrying == 1)
            #expect(try await dispatcher.runOnce().claimed == 0, "not due before the backoff")
            clock.advance(by: .seconds(40))
            #expect(try await dispatcher.runOnce().delivered == 1)
            clock.advance(by: .seconds(3600))
            #expect(try await dispatcher.runOnce().claimed == 0)

            #expect(receiver.received.count == 2)
            #expect(receiver.received.map(\.deliveryID) == [seeded[0].id, seeded[0].id])
            #expect(receiver.received.allSatisfy { $0.headers["x-tpgw-signature"]?.hasPrefix("t=") == true })
            let attempts = try await db.store.deliveryAttempts(deliveryIDs: [seeded[0].id])
            #expect(attempts.map(\.status) == [500, 200])
            #expect(attempts.map(\.outcome) == ["retry", "delivered"])
            #expect(try await db.store.deliveries(state: "delivered", limit: 10).count == 1)
            await client.shutdown()
            await receiver.stop()
        }
    }

    @Test func hangingReceiver_timesOut_andIsRetried() async throws {
        try await TestDatabase.with { db in
            let receiver = try WebhookReceiver.start { n, _ in n == 1 ? nil : Self.ok() }
            let client = HTTPClient()
            let clock = ManualClock()
            let channel = try await F.channel(db.store, url: receiver.url)
            let seeded = try await Self.seed(db, channel: channel, count: 1)
            let dispatcher = F.dispatcher(db.store, client: client, clock: clock, timeout: .milliseconds(500))

            let started = ContinuousClock.now
            #expect(try await dispatcher.runOnce().retrying == 1)
            #expect(ContinuousClock.now - started < .seconds(5))
            clock.advance(by: .seconds(40))
            #expect(try await dispatcher.runOnce().delivered == 1)
            let attempts = try await db.store.deliveryAttempts(deliveryIDs: [seeded[0].id])
            #expect(attempts.count == 2)
            #expect(attempts.first?.status == nil)
            #expect(attempts.first?.error == "timed out")
            await client.shutdown()
            await receiver.stop()
        }
    }

    @Test func receiverDown_pastMaxAge_isDeadLettered() async throws {
        try await TestDatabase.with { db in
            // Nothing listens there (connection refused), and no other test's receiver can be given the port.
            let down = try ClosedPort()
            let client = HTTPClient()
            let clock = ManualClock()
            let channel = try await F.channel(db.store, url: down.url)
            let seeded = try await Self.seed(db, channel: channel, count: 1)
            let registry = MetricsRegistry()
            let dispatcher = F.dispatcher(
                db.store, client: client, clock: clock, timeout: .seconds(2), logger: db.logger, metrics: GatewayMetrics(registry: registry))
            var rounds = 0
            while rounds < 60, try await db.store.deliveries(state: "dead", limit: 1).isEmpty {
                try await dispatcher.runOnce()
                clock.advance(by: .seconds(1800))
                rounds += 1
            }
            let dead = try await db.store.deliveries(state: "dead", limit: 10)
            #expect(dead.map(\.id) == [seeded[0].id])
            #expect(dead.first?.lastError?.contains("gave up") == true)
            let attempts = try await db.store.deliveryAttempts(deliveryIDs: [seeded[0].id])
            #expect(attempts.count > 3)
            #expect(attempts.allSatisfy { $0.status == nil })
            // Dead no earlier than 24 h after creation minus one backoff step (1 h cap), never after.
            #expect(clock.date(from: F.t0).timeIntervalSince(F.t0) >= 23 * 3600)
            #expect(clock.date(from: F.t0).timeIntervalSince(F.t0) <= 26 * 3600)
            let text = registry.render()
            #expect(text.contains("tpgw_dead_letters 1"))
            #expect(text.contains("tpgw_deliveries_total{format=\"json\",outcome=\"dead\"} 1"))
            withExtendedLifetime(down) {}
            await client.shutdown()
        }
    }

    @Test func threeDispatchers_oneDatabase_neverSendADeliveryTwice() async throws {
        try await TestDatabase.with { db in
            let receiver = try WebhookReceiver.start { _, _ in
                try? await Task.sleep(for: .milliseconds(5))
                return Self.ok()
            }
            let clock = ManualClock()
            let channel = try await F.channel(db.store, url: receiver.url)
            let seeded = try await Self.seed(db, channel: channel, count: 90)
            let pools = (0..<3).map { _ in db.makePool(maxConnections: 3) }
            let clients = (0..<3).map { _ in HTTPClient() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<3 {
                    let store = PostgresStore(pool: pools[i], logger: db.logger)
                    let dispatcher = F.dispatcher(store, client: clients[i], clock: clock, owner: "replica-\(i)", batch: 7)
                    group.addTask {
                        var idle = 0
                        while idle < 3 {
                            let round = try await dispatcher.runOnce()
                            idle = round.claimed == 0 ? idle + 1 : 0
                        }
                    }
                }
                try await group.waitForAll()
            }
            let ids = receiver.received.compactMap(\.deliveryID)
            #expect(ids.count == 90)
            #expect(Set(ids) == Set(seeded.map(\.id)))
            #expect(try await db.store.deliveries(state: "delivered", limit: 1000).count == 90)
            for c in clients { await c.shutdown() }
            for p in pools { await p.close() }
            await receiver.stop()
        }
    }

    @Test func rateLimitedChannel_foldsWhatMustWaitIntoOneDigest() async throws {
        try await TestDatabase.with { db in
            let receiver = try WebhookReceiver.start { _, _ in .json(Array("{\"code\":0,\"msg\":\"success\"}".utf8)) }
            let client = HTTPClient()
            let clock = ManualClock()
            let channel = try await F.channel(db.store, format: .feishu, url: receiver.url, secret: nil)
            let inputs = LockedValue(AlertInputs(packages: []))
            try await Self.seed(db, channel: channel, count: 12, inputs: inputs)
            let dispatcher = F.dispatcher(db.store, client: client, clock: clock)

            // Feishu allows 5 per second: 4 alone, then the other 8 in one digest.
            let round = try await dispatcher.runOnce()
            #expect(round.sent == 5)
            #expect(round.delivered == 12)
            #expect(receiver.received.count == 5)
            #expect(receiver.received.filter { String(decoding: $0.body, as: UTF8.self).contains("Digest") }.count == 1)
            let folded = try await db.store.deliveries(state: "delivered", limit: 100).filter { $0.foldedInto != nil }
            #expect(folded.count == 7)

            // Three more in the same second wait (not dropped) until the window has room again; then it has room for each.
            try await Self.seed(db, channel: channel, count: 3, prefix: "late-", inputs: inputs)
            let waiting = try await dispatcher.runOnce()
            #expect(waiting.deferred == 3)
            #expect(waiting.sent == 0)
            clock.advance(by: .seconds(1.01))
            let later = try await dispatcher.runOnce()
            #expect(later.sent == 3)
            #expect(later.delivered == 3)
            #expect(receiver.received.count == 8)
            await client.shutdown()
            await receiver.stop()
        }
    }

    @Test func expiredClaim_isSentAgainAfterTheLease_withTheSameID() async throws {
        try await TestDatabase.with { db in
            let receiver = try WebhookReceiver.start()
            let client = HTTPClient()
            let clock = ManualClock()
            let channel = try await F.channel(db.store, url: receiver.url)
            try await Self.seed(db, channel: channel, count: 1)
            // A replica claims the row and dies before recording anything.
            let claimed = try await db.store.claimDeliveries(owner: "crashed", now: F.t0, lease: 60, limit: 10)
            #expect(claimed.count == 1)
            let dispatcher = F.dispatcher(db.store, client: client, clock: clock)
            #expect(try await dispatcher.runOnce().claimed == 0, "the lease still holds")
            // Leases run on the database's clock: the claim runs out there.
            _ = try await db.pool.query("UPDATE deliveries SET claim_until = now() - interval '1 second'")
            #expect(try await dispatcher.runOnce().delivered == 1)
            #expect(receiver.received.map(\.deliveryID) == [claimed[0].id])
            await client.shutdown()
            await receiver.stop()
        }
    }

    @Test func permanent4xx_failsAtOnce() async throws {
        try await TestDatabase.with { db in
            let receiver = try WebhookReceiver.start { _, _ in HTTPResponse(status: .forbidden) }
            let client = HTTPClient()
            let clock = ManualClock()
            let channel = try await F.channel(db.store, url: receiver.url)
            try await Self.seed(db, channel: channel, count: 1)
            let round = try await F.dispatcher(db.store, client: client, clock: clock).runOnce()
            #expect(round.failed == 1)
            #expect(try await db.store.deliveries(state: "failed", limit: 10).first?.lastError == "HTTP 403")
            await client.shutdown()
            await receiver.stop()
        }
    }

    @Test func webhookURLAndSecret_neverAppearInLogsOrAttempts() async throws {
        try await TestDatabase.with { db in
            let token = "SECRETTOKEN1234567"
            let secret = "SIGNINGSECRET7654321"
            let receiver = try WebhookReceiver.start { _, request in
                // A receiver that echoes what it got, token included.
                .json(Array("{\"errcode\":40001,\"errmsg\":\"bad token \(request.target)\"}".utf8))
            }
            let sink = MemoryLogSink()
            let logger = Logger(label: "test", level: .trace, sink: sink)
            let client = HTTPClient()
            let clock = ManualClock()
            let channel = try await F.channel(db.store, format: .dingtalk, url: receiver.url + "?access_token=\(token)", secret: secret)
            let refused = try await F.channel(db.store, url: "http://127.0.0.1:1/hook?token=\(token)", secret: secret)
            let inputs = LockedValue(AlertInputs(packages: []))
            try await Self.seed(db, channel: channel, count: 1, inputs: inputs)
            try await Self.seed(db, channel: refused, count: 1, prefix: "r-", inputs: inputs)
            try await F.dispatcher(db.store, client: client, clock: clock, logger: logger).runOnce()
            #expect(receiver.received.count == 1)
            let logs = sink.records.map { "\($0)" }.joined(separator: "\n")
            #expect(!logs.isEmpty)
            let attempts = try await db.store.deliveryAttempts(deliveryIDs: try await db.store.deliveries(limit: 10).map(\.id))
            let stored = attempts.map { "\($0.error ?? "") \($0.responseExcerpt ?? "")" }.joined(separator: "\n")
            for text in [logs, stored] {
                #expect(!text.contains(token))
                #expect(!text.contains(secret))
            }
            await client.shutdown()
            await receiver.stop()
        }
    }
}
