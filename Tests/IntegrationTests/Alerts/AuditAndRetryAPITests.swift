import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
import TPGWHTTP
import TPGWHTTPClient
import TPGWStore
@testable import TPGWGateway

/// Dead-letter retry and the audit log through the real router, authenticator and store (the composition root),
/// a real receiver on 127.0.0.1 port 0 and real PostgreSQL.
@Suite(.enabled(if: TestDatabase.isConfigured, "set TPGW_TEST_DATABASE_URL"))
struct AuditAndRetryAPITests {
    typealias F = AlertFixtures
    typealias API = AlertingAPITests.API

    @Test func everyWriteRoute_isAudited_withTheActingKey_redacted() async throws {
        try await TestDatabase.with { db in
            let api = try await API.start(db)
            // A receiver that refuses (400: a permanent failure) and then accepts, for the retry routes.
            let receiver = try WebhookReceiver.start { n, _ in n == 1 ? HTTPResponse(status: .badRequest) : .json(Array("{}".utf8)) }
            let url = receiver.url + "?token=TOKENsecret0123"
            let (s1, channel, _) = try await api.call(.POST, "/v1/channels", #"{"name":"ops","format":"json","url":"\#(url)","secret":"SECsupersecret99"}"#)
            #expect(s1 == 201)
            let channelID = try #require(channel["id"] as? String)
            #expect(try await api.call(.PUT, "/v1/channels/\(channelID)", #"{"name":"ops-2","format":"json"}"#).0 == 200)
            let budgetBody = #"{"name":"runway","rules":[{"kind":"usedRatio","thresholds":[0.8]}],"channels":["\#(channelID)"],"groupWaitSeconds":0}"#
            let (s2, budget, _) = try await api.call(.POST, "/v1/budgets", budgetBody, key: api.writeKey)
            #expect(s2 == 201)
            let budgetID = try #require(budget["id"] as? String)
            #expect(try await api.call(.PUT, "/v1/budgets/\(budgetID)", budgetBody, key: api.writeKey).0 == 200)
            let silenceBody = #"{"matchers":{"region":"sh"},"endsAt":"\#(RFC3339.format(Date().addingTimeInterval(3600)))","comment":"maintenance"}"#
            let (s3, silence, _) = try await api.call(.POST, "/v1/silences", silenceBody, key: api.writeKey)
            #expect(s3 == 201)
            #expect(silence["createdBy"] as? String == "writer")
            #expect(silence["state"] as? String == "active")
            let silenceID = try #require(silence["id"] as? String)
            let (s4, ended, _) = try await api.call(.DELETE, "/v1/silences/\(silenceID)", key: api.writeKey)
            #expect(s4 == 200)
            #expect(ended["state"] as? String == "expired")
            #expect(try await api.call(.GET, "/v1/silences?state=active").1["items"] as? [Any] != nil)

            // A firing alert, its delivery failing for good, then re-driven by id and by channel.
            let now = Date()
            try await F.engine(db.store, inputs: LockedValue(AlertInputs(packages: [F.package("tp-1", ratio: 0.9)]))).evaluate(now: now)
            let alert = try #require(try await db.store.alerts(limit: 1).first)
            let (s5, acked, _) = try await api.call(.POST, "/v1/alerts/\(alert.id)/ack", #"{"comment":"buying more"}"#, key: api.writeKey)
            #expect(s5 == 200)
            #expect((acked["acknowledgement"] as? [String: Any])?["by"] as? String == "writer")
            #expect(try await api.call(.POST, "/v1/alerts/\(alert.id)/ack", #"{"comment":" "}"#, key: api.writeKey).0 == 422)
            #expect(try await api.call(.POST, "/v1/alerts/\(alert.id)/ack", #"{"comment":"x"}"#, key: api.readKey).0 == 403)

            let client = HTTPClient()
            let clock = ManualDate(now)
            let dispatcher = F.dispatcher(db.store, client: client, clock: clock)
            #expect(try await dispatcher.runOnce().failed == 1)
            let failed = try #require(try await db.store.deliveries(state: "failed", limit: 10).first)
            #expect(try await api.call(.POST, "/v1/deliveries/dl_nope/retry", key: api.writeKey).0 == 404)
            let (s6, retried, _) = try await api.call(.POST, "/v1/deliveries/\(failed.id)/retry", key: api.writeKey)
            #expect(s6 == 200)
            #expect(retried["state"] as? String == "pending")
            #expect(try await api.call(.POST, "/v1/deliveries/\(failed.id)/retry", key: api.writeKey).0 == 409, "pending is not retried")
            clock.set(Date() + 1)  // the route re-drove it at the wall clock's now
            #expect(try await dispatcher.runOnce().delivered == 1)
            #expect(receiver.received.map(\.deliveryID) == [failed.id, failed.id], "same delivery id, a new attempt")
            #expect(try await db.store.deliveryAttempts(deliveryIDs: [failed.id]).map(\.status) == [400, 200])
            let (s7, bulk, _) = try await api.call(.POST, "/v1/deliveries/retry", #"{"channel":"\#(channelID)","state":"dead"}"#, key: api.writeKey)
            #expect(s7 == 200)
            #expect(bulk["retried"] as? Int == 0)
            #expect(try await api.call(.POST, "/v1/deliveries/retry", #"{"channel":"chn_nope"}"#, key: api.writeKey).0 == 404)
            #expect(try await api.call(.POST, "/v1/deliveries/retry", #"{"channel":"\#(channelID)","state":"pending"}"#, key: api.writeKey).0 == 422)

            #expect(try await api.call(.DELETE, "/v1/budgets/\(budgetID)", key: api.writeKey).0 == 204)
            #expect(try await api.call(.DELETE, "/v1/channels/\(channelID)").0 == 204)
            _ = try await api.app.createKey(name: "later", scopes: ["read"])
            #expect(try await db.store.revokeAPIKey(name: "later"))

            #expect(try await api.call(.GET, "/v1/audit", key: api.writeKey).0 == 403, "the audit log needs admin")
            let (s8, audit, text) = try await api.call(.GET, "/v1/audit?limit=1000")
            #expect(s8 == 200)
            let items = try #require(audit["items"] as? [[String: Any]])
            let actions = items.reversed().map { "\($0["actor"] as? String ?? "?") \($0["action"] as? String ?? "?")" }
            #expect(actions == [
                "cli apiKey.create", "cli apiKey.create", "cli apiKey.create",
                "operator channel.create", "operator channel.update", "writer budget.create", "writer budget.update",
                "writer silence.create", "writer silence.expire", "writer alert.ack", "writer delivery.retry",
                "writer delivery.retryChannel", "writer budget.delete", "operator channel.delete", "cli apiKey.create", "cli apiKey.revoke",
            ])
            #expect(!text.contains("TOKENsecret0123"))
            #expect(!text.contains("SECsupersecret99"))
            let update = try #require(items.first { $0["action"] as? String == "budget.update" })
            #expect((update["before"] as? [String: Any])?["version"] as? Int == 1)
            #expect((update["after"] as? [String: Any])?["version"] as? Int == 2)
            #expect(try await api.call(.GET, "/v1/audit?targetType=silence&targetId=\(silenceID)").1["items"].map { ($0 as? [Any])?.count } == 2)
            #expect(try await api.call(.GET, "/v1/audit?targetType=nope").0 == 422)

            // The retention job deletes entries older than 400 days.
            let result = try await db.store.compact(now: Date().addingTimeInterval(401 * 86400))
            #expect(result.auditEntriesDeleted == items.count)
            await client.shutdown()
            await receiver.stop()
            await api.app.shutdown()
        }
    }
}
