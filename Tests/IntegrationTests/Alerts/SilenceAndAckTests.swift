import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
import TPGWHTTP
import TPGWHTTPClient
import TPGWStore
@testable import TPGWGateway

/// Silences and acknowledgements through the engine against real PostgreSQL and a real receiver, manual clock.
@Suite(.enabled(if: TestDatabase.isConfigured, "set TPGW_TEST_DATABASE_URL"))
struct SilenceAndAckTests {
    typealias F = AlertFixtures

    static func silence(_ store: PostgresStore, _ m: SilenceMatchers, from: Date, to: Date) async throws -> SilenceRecord {
        try await store.insertSilence(SilenceRecord(
            id: "sil_" + UUID().uuidString.prefix(8).lowercased(), matchers: String(decoding: APIJSON.encode(m), as: UTF8.self),
            startsAt: from, endsAt: to, comment: "maintenance", createdBy: "ops"))
    }

    @Test func silencedAlerts_areEvaluatedAndListed_sendNothing_andNotifyAtOnceWhenTheSilenceEnds() async throws {
        try await TestDatabase.with { db in
            let receiver = try WebhookReceiver.start()
            let client = HTTPClient()
            let clock = ManualDate(F.t0)
            let channel = try await F.channel(db.store, url: receiver.url)
            let budget = try await F.budget(db.store, rules: [.usedRatio(thresholds: [0.8])], channels: [channel.id], groupWait: 30, groupInterval: 300)
            let silence = try await Self.silence(db.store, SilenceMatchers(budget: budget, package: F.key("tp-1").description),
                                                 from: F.t0 - 60, to: F.t0 + 600)
            let inputs = LockedValue(AlertInputs(packages: [F.package("tp-1", ratio: 0.9), F.package("tp-2", ratio: 0.9)]))
            let engine = F.engine(db.store, inputs: inputs)
            let dispatcher = F.dispatcher(db.store, client: client, clock: clock)
            try await engine.evaluate(now: F.t0)
            clock.advance(30)
            #expect(try await dispatcher.runOnce().sent == 1)
            let first = try #require(receiver.received.first?.json?["events"] as? [[String: Any]])
            #expect(first.count == 1, "tp-1 is silenced")

            // Still listed, as firing and silenced.
            let firing = try await db.store.alerts(state: "firing", limit: 10).compactMap { AlertDTO($0) }
            #expect(firing.count == 2)
            #expect(firing.filter { $0.alert.silencedBy == silence.id }.map(\.alert.subject) == [.package(F.key("tp-1"))])

            // The silence is ended early: the still-firing alert notifies at once (no group wait).
            let ended = try await db.store.expireSilence(id: silence.id, now: F.t0 + 120)
            #expect(ended?.endsAt == F.t0 + 120)
            try await engine.evaluate(now: F.t0 + 121)
            clock.set(F.t0 + 121)
            #expect(try await dispatcher.runOnce().sent == 1)
            let second = try #require(receiver.received.last?.json?["events"] as? [[String: Any]])
            #expect(second.count == 1)
            #expect((second.first?["alert"] as? [String: Any])?["subject"] as? String == "package:" + F.key("tp-1").description)
            #expect(try await db.store.alerts(state: "firing", limit: 10).compactMap { AlertDTO($0) }.allSatisfy { $0.alert.silencedBy == nil })
            await client.shutdown()
            await receiver.stop()
        }
    }

    @Test func ack_stopsRepeats_untilAnEscalationNotifiesAgain() async throws {
        try await TestDatabase.with { db in
            let channel = try await F.channel(db.store, url: "http://127.0.0.1:9/hook")
            try await F.budget(db.store, rules: [.usedRatio(thresholds: [0.8, 0.95])], channels: [channel.id], repeatHours: 1)
            let inputs = LockedValue(AlertInputs(packages: [F.package("tp-1", ratio: 0.85)]))
            let engine = F.engine(db.store, inputs: inputs)
            try await engine.evaluate(now: F.t0)
            let alert = try #require(try await db.store.alerts(limit: 1).first)
            try await engine.evaluate(now: F.t0 + 3600)
            #expect(try await F.deliveryEvents(db.store) == ["firing", "repeat"])

            let acked = try await db.store.updateAlert(id: alert.id, audit: AuditEntry(actor: "oncall", action: "alert.ack", targetType: "alert")) { r in
                var a = try JSONDecoder().decode(AlertState.self, from: Data(r.body.utf8))
                a.acknowledgement = .init(by: "oncall", at: F.t0 + 3700, comment: "buying more")
                return String(decoding: APIJSON.encode(a), as: UTF8.self)
            }
            #expect(acked != nil)
            // The engine (same process) reloads the acknowledged state: no repeat for hours.
            for h in 2...5 { try await engine.evaluate(now: F.t0 + Double(h) * 3600) }
            #expect(try await F.deliveryEvents(db.store) == ["firing", "repeat"])
            // Escalation to the higher threshold notifies and ends the acknowledgement; repeats resume.
            inputs.withLock { $0.packages = [F.package("tp-1", ratio: 0.97)] }
            try await engine.evaluate(now: F.t0 + 6 * 3600)
            try await engine.evaluate(now: F.t0 + 7 * 3600)
            #expect(try await F.deliveryEvents(db.store) == ["firing", "repeat", "escalated", "repeat"])
            let after = try #require(try await db.store.alert(id: alert.id).flatMap { AlertDTO($0) })
            #expect(after.alert.acknowledgement == nil)
            let audit = try await db.store.auditEntries(targetType: "alert", limit: 10)
            #expect(audit.map(\.entry.action) == ["alert.ack"])
            #expect(audit.first?.entry.targetID == String(alert.id))
        }
    }
}
