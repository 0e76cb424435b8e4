import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
import TPGWHTTP
import TPGWHTTPClient
import TPGWStore
@testable import TPGWGateway

/// What a hostile or faulty webhook receiver, or a channel aimed inside the network, can do to tpgw: nothing.
/// Real PostgreSQL, real receivers on 127.0.0.1 port 0, real libcurl.
@Suite(.enabled(if: TestDatabase.isConfigured, "set TPGW_TEST_DATABASE_URL"))
struct WebhookHardeningTests {
    typealias F = AlertFixtures
    typealias API = AlertingAPITests.API

    static let hostileDate = "Sun, 06 Nov 999999999999 08:49:37 GMT"

    @Test(arguments: [
        "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:5432/", "http://[::1]:8080/x", "http://10.0.0.1/hook",
        "http://192.168.1.1/", "http://172.16.0.5/", "http://100.64.0.1/", "http://[fd00::1]/", "http://0.0.0.0:22/",
        "http://localhost:9090/", "http://2130706433/", "http://[::ffff:127.0.0.1]/",
    ])
    func internalTargets_areRefusedWith422_byDefault(url: String) async throws {
        try await TestDatabase.with { db in
            let api = try await API.start(db, allowLoopback: false)
            let (status, problem, _) = try await api.call(.POST, "/v1/channels", #"{"name":"x","format":"json","url":"\#(url)"}"#)
            #expect(status == 422)
            let errors = (problem["errors"] as? [[String: Any]]) ?? []
            #expect(errors.first?["field"] as? String == "url")
            #expect((errors.first?["message"] as? String)?.contains("webhookAllowedNetworks") == true)
            #expect(try await db.store.channels().isEmpty)
            await api.app.shutdown()
        }
    }

    @Test func allowedNetwork_admitsAnInternalReceiver() async throws {
        try await TestDatabase.with { db in
            let api = try await API.start(db, allowLoopback: true)
            let receiver = try WebhookReceiver.start()
            let (status, channel, _) = try await api.call(.POST, "/v1/channels", #"{"name":"am","format":"json","url":"\#(receiver.url)"}"#)
            #expect(status == 201)
            let id = try #require(channel["id"] as? String)
            let (_, result, _) = try await api.call(.POST, "/v1/channels/\(id)/test")
            #expect(result["delivered"] as? Bool == true)
            #expect(receiver.received.count == 1)
            await receiver.stop()
            await api.app.shutdown()
        }
    }

    /// A channel that passed the check and later resolves inside (DNS rebinding), or was stored before the policy:
    /// the address actually connected to is checked at send time; nothing is sent, nothing is excerpted.
    @Test func internalAddress_isRefusedAtSendTime_withNoExcerptAndNoStatus() async throws {
        try await TestDatabase.with { db in
            let api = try await API.start(db, allowLoopback: false)
            let receiver = try WebhookReceiver.start { _, _ in .text("internal secret page") }
            let channel = try await F.channel(db.store, url: receiver.url)
            let (status, result, text) = try await api.call(.POST, "/v1/channels/\(channel.id)/test")
            #expect(status == 200)
            #expect(result["delivered"] as? Bool == false)
            #expect(result["status"] == nil || result["status"] is NSNull)
            #expect(result["responseExcerpt"] == nil || result["responseExcerpt"] is NSNull)
            #expect((result["error"] as? String)?.contains("loopback") == true)
            #expect(!text.contains("internal secret page"))
            #expect(receiver.received.isEmpty)

            // Through the outbox: failed for good, the attempt has neither status nor excerpt.
            let client = HTTPClient()
            let clock = ManualDate(F.t0)
            let seeded = try await DeliveryDispatcherTests.seed(db, channel: channel, count: 1)
            var config = DeliveryDispatcher.Configuration(owner: "d1")
            config.networkPolicy = NetworkPolicy()
            let dispatcher = DeliveryDispatcher(store: db.store, client: client, configuration: config, logger: .disabled, now: { clock.now })
            #expect(try await dispatcher.runOnce().failed == 1)
            let attempts = try await db.store.deliveryAttempts(deliveryIDs: seeded.map(\.id))
            #expect(attempts.count == 1)
            #expect(attempts.first?.status == nil)
            #expect(attempts.first?.responseExcerpt == nil)
            #expect(receiver.received.isEmpty)
            await client.shutdown()
            await receiver.stop()
            await api.app.shutdown()
        }
    }

    /// The crash of issue 11: a Retry-After with a 12-digit year, on a 200 (where it must not even be read).
    @Test func hostileRetryAfter_onASuccess_isIgnored_andTheProcessLives() async throws {
        try await TestDatabase.with { db in
            let api = try await API.start(db)
            let receiver = try WebhookReceiver.start { _, _ in
                var r = HTTPResponse.json(Array("{\"ok\":true}".utf8))
                r.headers.add("Retry-After", Self.hostileDate)
                return r
            }
            let (_, channel, _) = try await api.call(.POST, "/v1/channels", #"{"name":"x","format":"json","url":"\#(receiver.url)"}"#)
            let id = try #require(channel["id"] as? String)
            let (status, result, _) = try await api.call(.POST, "/v1/channels/\(id)/test")
            #expect(status == 200)
            #expect(result["delivered"] as? Bool == true)
            await receiver.stop()
            await api.app.shutdown()
        }
    }

    /// Out-of-range values are clamped to an hour; a date tpgw cannot represent is ignored (the usual backoff, 30 s).
    @Test(arguments: [(hostileDate, 30.0), ("99999999999999999999999999", RetryAfter.defaultLimit),
                      ("Fri, 31 Dec 9999 23:59:59 GMT", RetryAfter.defaultLimit)])
    func hostileRetryAfter_on429_isClampedToAnHour(value: String, expected: TimeInterval) async throws {
        try await TestDatabase.with { db in
            let receiver = try WebhookReceiver.start { _, _ in
                var r = HTTPResponse(status: .tooManyRequests)
                r.headers.add("Retry-After", value)
                return r
            }
            let client = HTTPClient()
            let clock = ManualDate(F.t0)
            let channel = try await F.channel(db.store, url: receiver.url)
            let seeded = try await DeliveryDispatcherTests.seed(db, channel: channel, count: 1)
            #expect(try await F.dispatcher(db.store, client: client, clock: clock).runOnce().retrying == 1)
            let row = try #require(try await db.store.deliveries(limit: 10).first { $0.id == seeded[0].id })
            #expect(abs(row.nextAttemptAt.timeIntervalSince(F.t0) - expected) < 1)
            await client.shutdown()
            await receiver.stop()
        }
    }

    /// A receiver answering 4 MiB: tpgw reads 64 KiB, stops, and still sees the status.
    @Test func hugeResponse_isReadOnlyUpTo64KiB() async throws {
        let receiver = try WebhookReceiver.start { _, _ in .json(Array(repeating: UInt8(ascii: "x"), count: 4 << 20)) }
        let client = HTTPClient()
        let sender = DeliverySender(client: client, timeout: .seconds(10), policy: F.loopbackAllowed)
        let request = OutgoingRequest(url: receiver.url, headers: [], body: Array("{}".utf8))
        let (result, _, excerpt) = try await sender.send(request, secrets: [])
        guard case .response(let status, _, let body) = result else {
            Issue.record("expected a response, got \(result)")
            return
        }
        #expect(status == 200)
        #expect(body.count == DeliverySender.maxResponseBytes)
        #expect((excerpt ?? "").count <= 200)
        await client.shutdown()
        await receiver.stop()
    }

    /// Slack, Feishu and WeCom carry their token in the path or query: a read key sees scheme and host only.
    @Test func tokenURLs_areShownAsSchemeAndHostOnly_toEveryKey() async throws {
        try await TestDatabase.with { db in
            let api = try await API.start(db)
            let urls = [
                ("slack", "https://203.0.113.10/services/T0AAAAAAA/B0BBBBBBB/SLACKtok3nSECRET"),
                ("feishu", "https://203.0.113.11/open-apis/bot/v2/hook/feishu-0f0e0d0c-SECRET"),
                ("wecom", "https://203.0.113.12/cgi-bin/webhook/send?key=WECOMkeySECRET"),
            ]
            for (format, url) in urls {
                let (status, _, text) = try await api.call(.POST, "/v1/channels", #"{"name":"\#(format)","format":"\#(format)","url":"\#(url)"}"#)
                #expect(status == 201)
                #expect(!text.contains("SECRET"))
            }
            for key in [api.readKey, api.key] {
                let (_, list, text) = try await api.call(.GET, "/v1/channels", key: key)
                #expect(!text.contains("SECRET"))
                #expect(!text.contains("services"))
                let shown = Set(((list["items"] as? [[String: Any]]) ?? []).compactMap { $0["url"] as? String })
                #expect(shown == ["https://203.0.113.10/…", "https://203.0.113.11/…", "https://203.0.113.12/…"])
            }
            await api.app.shutdown()
        }
    }

    /// One channel's receiver hangs; another channel's deliveries go out and are recorded meanwhile.
    @Test func hangingReceiver_delaysOnlyItsOwnChannel() async throws {
        try await TestDatabase.with { db in
            let hanging = try WebhookReceiver.start { _, _ in nil }
            let healthy = try WebhookReceiver.start()
            let client = HTTPClient()
            let clock = ManualDate(F.t0)
            let slow = try await F.channel(db.store, url: hanging.url)
            let fast = try await F.channel(db.store, url: healthy.url)
            let inputs = LockedValue(AlertInputs(packages: []))
            try await DeliveryDispatcherTests.seed(db, channel: slow, count: 2, prefix: "slow-", inputs: inputs)
            let dispatcher = F.dispatcher(db.store, client: client, clock: clock, timeout: .seconds(20))
            let loop = Task { await dispatcher.run(until: ShutdownSignal()) }
            // The hanging channel's job is in flight; now the other channel gets work.
            try await waitUntil { hanging.received.count >= 1 }
            let seeded = try await DeliveryDispatcherTests.seed(db, channel: fast, count: 3, prefix: "fast-", inputs: inputs)
            dispatcher.wake()
            try await waitUntil {
                try await db.store.deliveries(state: "delivered", limit: 100).filter { $0.channelID == fast.id }.count == 3
            }
            #expect(healthy.received.count == 3)
            #expect(seeded.filter { $0.channelID == fast.id }.count == 3)
            // The hanging channel's rows are still claimed and unrecorded: it held up nothing but itself.
            let slowRows = try await db.store.deliveries(limit: 100).filter { $0.channelID == slow.id }
            #expect(slowRows.allSatisfy { $0.state == "pending" && $0.claimedBy == "d1" })
            loop.cancel()
            await loop.value
            await client.shutdown()
            await hanging.stop()
            await healthy.stop()
        }
    }

    /// A send slower than the lease: the claim is renewed on the database clock, so another replica never takes
    /// the row meanwhile, and the receiver sees it once.
    @Test func slowSend_renewsItsLease_soNoOtherReplicaSendsItAgain() async throws {
        try await TestDatabase.with { db in
            let receiver = try WebhookReceiver.start { _, _ in
                try? await Task.sleep(for: .milliseconds(6000))
                return .json(Array("{\"ok\":true}".utf8))
            }
            let clients = [HTTPClient(), HTTPClient()]
            let clock = ManualDate(F.t0)
            let channel = try await F.channel(db.store, url: receiver.url)
            let seeded = try await DeliveryDispatcherTests.seed(db, channel: channel, count: 1)
            let first = F.dispatcher(db.store, client: clients[0], clock: clock, owner: "replica-a", timeout: .seconds(15), lease: 3)
            let second = F.dispatcher(db.store, client: clients[1], clock: clock, owner: "replica-b", timeout: .seconds(15), lease: 3)
            let sending = Task { try await first.runOnce() }
            try await waitUntil { receiver.received.count == 1 }
            var stolen = 0
            // Twice the lease: renewed every second (lease / 3), with room for a loaded machine's scheduling delays.
            let until = ContinuousClock.now + .milliseconds(5000)
            while ContinuousClock.now < until {
                stolen += try await second.runOnce().claimed
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try await sending.value.delivered == 1)
            #expect(stolen == 0)
            #expect(receiver.received.compactMap(\.deliveryID) == [seeded[0].id])
            for c in clients { await c.shutdown() }
            await receiver.stop()
        }
    }

    /// DingTalk allows 20 messages a minute per robot: two replicas together stay within it.
    @Test func channelRateLimit_holdsAcrossReplicas() async throws {
        try await TestDatabase.with { db in
            let receiver = try WebhookReceiver.start { _, _ in .json(Array("{\"errcode\":0,\"errmsg\":\"ok\"}".utf8)) }
            let clients = [HTTPClient(), HTTPClient()]
            let clock = ManualDate(F.t0)
            let channel = try await F.channel(db.store, format: .dingtalk, url: receiver.url, secret: nil)
            try await DeliveryDispatcherTests.seed(db, channel: channel, count: 40)
            let a = F.dispatcher(db.store, client: clients[0], clock: clock, owner: "replica-a", batch: 15)
            let b = F.dispatcher(db.store, client: clients[1], clock: clock, owner: "replica-b", batch: 200)
            let first = try await a.runOnce()
            let second = try await b.runOnce()
            #expect(first.sent == 15)
            #expect(second.sent == 5, "only the minute's 5 remaining slots, the last a digest")
            #expect(receiver.received.count == 20)
            #expect(try await db.store.deliveries(state: "delivered", limit: 100).count == 40)
            for c in clients { await c.shutdown() }
            await receiver.stop()
        }
    }
}
