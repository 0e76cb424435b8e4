import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
import TPGWHTTP
import TPGWHTTPClient
import TPGWStore
@testable import TPGWGateway

/// Grouped notifications against real PostgreSQL and a real receiver on 127.0.0.1 port 0, with a manual clock:
/// the first firing of many alerts goes out as one message after `groupWait`, later changes are batched every
/// `groupInterval`, the timing lives in the database (a new dispatcher picks it up), a status change made while
/// tpgw was down is noticed after a restart, and deleting a budget resolves its alerts once.
@Suite(.enabled(if: TestDatabase.isConfigured, "set TPGW_TEST_DATABASE_URL"))
struct NotificationGroupingTests {
    typealias F = AlertFixtures

    static func packages(_ n: Int, ratio: Double) -> [PackageState] {
        (0..<n).map { F.package("tp-\($0)", ratio: ratio) }
    }

    @Test func fiveHundredAlertsFiringAtOnce_reachAJSONAndADingTalkChannelAsOneMessageEach_afterGroupWait() async throws {
        try await TestDatabase.with { db in
            let receiver = try WebhookReceiver.start()
            let client = HTTPClient()
            let clock = ManualDate(F.t0)
            let robot = try WebhookReceiver.start { _, _ in .json(Array("{\"errcode\":0,\"errmsg\":\"ok\"}".utf8)) }
            let channel = try await F.channel(db.store, url: receiver.url)
            let ding = try await F.channel(db.store, format: .dingtalk, url: robot.url, secret: nil)
            try await F.budget(db.store, rules: [.usedRatio(thresholds: [0.8])], channels: [channel.id, ding.id], groupWait: 30, groupInterval: 300)
            let inputs = LockedValue(AlertInputs(packages: Self.packages(500, ratio: 0.9)))
            let report = try await F.engine(db.store, inputs: inputs).evaluate(now: F.t0)
            #expect(report.deliveries == 1000)

            // Within groupWait nothing is due; a dispatcher started afresh (as after kill -9) finds the group's time
            // in the database.
            #expect(try await F.dispatcher(db.store, client: client, clock: clock).runOnce().claimed == 0)
            clock.advance(29)
            #expect(try await F.dispatcher(db.store, client: client, clock: clock).runOnce().claimed == 0)
            clock.advance(1)
            let round = try await F.dispatcher(db.store, client: client, clock: clock, owner: "d2").runOnce()
            #expect(round.claimed == 1000)
            #expect(round.sent == 2)
            #expect(round.delivered == 1000)
            #expect(receiver.received.count == 1)
            // The robot gets one message (well within its 20 a minute): the 10 most urgent and a count of the rest.
            #expect(robot.received.count == 1)
            let markdown = try #require((robot.received.first?.json?["markdown"] as? [String: Any])?["text"] as? String)
            #expect(markdown.contains("[runway] 500 firing, 0 resolved"))
            #expect(markdown.contains("… and 490 more"))
            #expect(try await db.store.deliveryCounts() == ["delivered": 1000], "nothing dropped")
            let body = try #require(receiver.received.first?.json)
            #expect((body["events"] as? [Any])?.count == 500)
            #expect(body["event"] as? String == "digest")
            #expect((body["text"] as? String)?.contains("and 490 more") == true)
            await client.shutdown()
            await receiver.stop()
            await robot.stop()
        }
    }

    @Test func laterChanges_areBatchedEveryGroupInterval_resolvedNoticesToo() async throws {
        try await TestDatabase.with { db in
            let receiver = try WebhookReceiver.start()
            let client = HTTPClient()
            let clock = ManualDate(F.t0)
            let channel = try await F.channel(db.store, url: receiver.url)
            try await F.budget(db.store, rules: [.usedRatio(thresholds: [0.8])], channels: [channel.id], groupWait: 30, groupInterval: 300)
            let inputs = LockedValue(AlertInputs(packages: Self.packages(10, ratio: 0.9)))
            let engine = F.engine(db.store, inputs: inputs)
            let dispatcher = F.dispatcher(db.store, client: client, clock: clock)
            try await engine.evaluate(now: F.t0)
            clock.advance(30)
            #expect(try await dispatcher.runOnce().sent == 1)

            // Three resolve at +60 and two more at +200: both batches wait for last message + 300 s.
            inputs.withLock { p in for i in 0..<3 { p.packages[i] = F.package("tp-\(i)", ratio: 0.1) } }
            try await engine.evaluate(now: F.t0.addingTimeInterval(60))
            inputs.withLock { p in for i in 3..<5 { p.packages[i] = F.package("tp-\(i)", ratio: 0.1) } }
            try await engine.evaluate(now: F.t0.addingTimeInterval(200))
            clock.set(F.t0.addingTimeInterval(329))
            #expect(try await dispatcher.runOnce().claimed == 0)
            clock.set(F.t0.addingTimeInterval(330))
            let round = try await dispatcher.runOnce()
            #expect(round.sent == 1)
            #expect(round.claimed == 5)
            #expect(receiver.received.count == 2)
            let events = try #require(receiver.received.last?.json?["events"] as? [[String: Any]])
            #expect(events.count == 5)
            #expect(events.allSatisfy { $0["event"] as? String == "resolved" })
            await client.shutdown()
            await receiver.stop()
        }
    }

    @Test func statusChangeWhileDown_isNoticedAfterRestart() async throws {
        try await TestDatabase.with { db in
            let channel = try await F.channel(db.store, url: "http://127.0.0.1:9/hook")
            try await F.budget(db.store, rules: [.statusChange], channels: [channel.id])
            let before = F.package("tp-1", ratio: 0.5)
            try await F.engine(db.store, inputs: LockedValue(AlertInputs(packages: [before]))).evaluate(now: F.t0)
            #expect(try await F.deliveryEvents(db.store).isEmpty)

            // tpgw is down while the package is used up; a new engine (no memory) compares with the stored statuses.
            let after = F.package("tp-1", used: 100 * F.gib, status: .usedUp)
            let restarted = F.engine(db.store, inputs: LockedValue(AlertInputs(packages: [after])))
            let report = try await restarted.evaluate(now: F.t0.addingTimeInterval(3600))
            #expect(report.deliveries == 1)
            #expect(try await F.deliveryEvents(db.store) == ["firing"])
        }
    }

    @Test func deletingABudget_resolvesItsAlertsOnce_inOneMessagePerChannel() async throws {
        try await TestDatabase.with { db in
            let receiver = try WebhookReceiver.start()
            let client = HTTPClient()
            let clock = ManualDate(F.t0)
            let channel = try await F.channel(db.store, url: receiver.url)
            let budgetID = try await F.budget(db.store, rules: [.usedRatio(thresholds: [0.8])], channels: [channel.id])
            let engine = F.engine(db.store, inputs: LockedValue(AlertInputs(packages: Self.packages(20, ratio: 0.9))))
            try await engine.evaluate(now: F.t0)
            let dispatcher = F.dispatcher(db.store, client: client, clock: clock)
            #expect(try await dispatcher.runOnce().sent == 1)

            let deleted = try await db.store.deleteBudget(id: budgetID, now: F.t0.addingTimeInterval(60)) {
                BudgetDeletion.notices(budget: $0, firing: $1, now: F.t0.addingTimeInterval(60))
            }
            #expect(deleted?.id == budgetID)
            clock.advance(60)
            #expect(try await dispatcher.runOnce().sent == 1)
            #expect(try await engine.evaluate(now: F.t0.addingTimeInterval(120)).deliveries == 0)
            clock.advance(3600)
            #expect(try await dispatcher.runOnce().claimed == 0, "said once")
            #expect(receiver.received.count == 2)
            let events = try #require(receiver.received.last?.json?["events"] as? [[String: Any]])
            #expect(events.count == 20)
            #expect(events.allSatisfy { $0["event"] as? String == "resolved" })
            #expect(try await db.store.alerts(limit: 100).isEmpty)
            await client.shutdown()
            await receiver.stop()
        }
    }
}
