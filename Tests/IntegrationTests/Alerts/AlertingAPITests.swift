import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
import TPGWHTTP
import TPGWStore
@testable import TPGWGateway

/// The alerting routes through the real router, authenticator and store.
@Suite(.enabled(if: TestDatabase.isConfigured, "set TPGW_TEST_DATABASE_URL"))
struct AlertingAPITests {
    typealias F = AlertFixtures

    struct API {
        let app: Application
        let handler: HTTPHandler
        /// Admin: channels need it.
        let key: String
        let writeKey: String
        let readKey: String

        /// `allowLoopback`: the receivers of these tests listen on 127.0.0.1, which the default policy refuses.
        static func start(_ db: TestDatabase, allowLoopback: Bool = true) async throws -> API {
            var config = try GatewayConfiguration.load(path: nil, environment: ["TPGW_DATABASE_URL": db.url])
            if allowLoopback { config.webhookAllowedNetworks = ["127.0.0.0/8"] }
            let app = try Gateway.make(configuration: config, clock: ContinuousClock(), logger: .disabled)
            app.registerRoutes(refresh: { _, _ in [] })
            let key = try await app.createKey(name: "operator", scopes: ["admin"])
            let writeKey = try await app.createKey(name: "writer", scopes: ["write"])
            let readKey = try await app.createKey(name: "reader", scopes: ["read"])
            try await app.keys.reload()
            return API(app: app, handler: app.router.makeHandler(), key: key, writeKey: writeKey, readKey: readKey)
        }

        func call(_ method: HTTPMethod, _ target: String, _ body: String? = nil, key: String? = nil) async throws -> (Int, [String: Any], String) {
            var headers: HTTPHeaders = ["Authorization": "Bearer \(key ?? self.key)"]
            if body != nil { headers.add("Content-Type", "application/json") }
            let request = HTTPRequest(method: method, target: target, headers: headers, body: Array((body ?? "").utf8))
            let response = try await handler(request, RequestContext.make(for: request, logger: .disabled))
            let text = String(decoding: response.body, as: UTF8.self)
            let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
            return (response.status.code, json, text)
        }
    }

    @Test func channels_crud_redactsURL_andNeverShowsTheSecret() async throws {
        try await TestDatabase.with { db in
            let api = try await API.start(db)
            let body = #"{"name":"oncall","format":"dingtalk","url":"https://oapi.dingtalk.com/robot/send?access_token=TOKENabcdef123","secret":"SECsupersecret99","language":"zh"}"#
            let (status, created, text) = try await api.call(.POST, "/v1/channels", body)
            #expect(status == 201)
            #expect(!text.contains("TOKENabcdef123"))
            #expect(!text.contains("SECsupersecret99"))
            #expect(created["url"] as? String == "https://oapi.dingtalk.com/…")
            #expect(created["hasSecret"] as? Bool == true)
            let id = try #require(created["id"] as? String)

            let (_, list, listText) = try await api.call(.GET, "/v1/channels", key: api.readKey)
            #expect((list["items"] as? [Any])?.count == 1)
            #expect(!listText.contains("TOKENabcdef123"))

            // PUT without url/secret keeps them.
            let (putStatus, updated, _) = try await api.call(.PUT, "/v1/channels/\(id)", #"{"name":"oncall-2","format":"dingtalk","language":"en"}"#)
            #expect(putStatus == 200)
            #expect(updated["name"] as? String == "oncall-2")
            #expect(updated["hasSecret"] as? Bool == true)
            let stored = try #require(try await db.store.channel(id: id))
            #expect(stored.url.contains("TOKENabcdef123"))

            #expect(try await api.call(.GET, "/v1/channels/chn_nope").0 == 404)
            #expect(try await api.call(.POST, "/v1/channels", body, key: api.readKey).0 == 403)
            #expect(try await api.call(.POST, "/v1/channels", body, key: api.writeKey).0 == 403, "channels need admin")
            #expect(try await api.call(.PUT, "/v1/channels/\(id)", #"{"name":"x","format":"json"}"#, key: api.writeKey).0 == 403)
            #expect(try await api.call(.POST, "/v1/channels/\(id)/test", key: api.writeKey).0 == 403)
            #expect(try await api.call(.DELETE, "/v1/channels/\(id)", key: api.writeKey).0 == 403)
            #expect(try await api.call(.DELETE, "/v1/channels/\(id)").0 == 204)
            #expect(try await api.call(.GET, "/v1/channels/\(id)").0 == 404)
            await api.app.shutdown()
        }
    }

    @Test func channel_invalidFields_are422_withOneErrorPerField() async throws {
        try await TestDatabase.with { db in
            let api = try await API.start(db)
            let (status, problem, _) = try await api.call(.POST, "/v1/channels", #"{"name":"","format":"pager","url":"ftp://x","language":"fr","colour":1}"#)
            #expect(status == 422)
            let fields = Set(((problem["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["name", "format", "url", "language", "colour"])
            await api.app.shutdown()
        }
    }

    @Test func budgets_crud_validation_andPaging() async throws {
        try await TestDatabase.with { db in
            let api = try await API.start(db)
            let (_, channel, _) = try await api.call(.POST, "/v1/channels", #"{"name":"c","format":"json","url":"http://127.0.0.1:9/h"}"#)
            let channelID = try #require(channel["id"] as? String)

            let bad = #"{"name":"","rules":[{"kind":"usedRatio","thresholds":[0.9,0.9]},{"kind":"sourceStale","afterMinutes":0}],"channels":["chn_missing"],"repeatIntervalHours":0}"#
            let (badStatus, problem, _) = try await api.call(.POST, "/v1/budgets", bad)
            #expect(badStatus == 422)
            let fields = Set(((problem["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
            #expect(fields.isSuperset(of: ["name", "rules[0].thresholds", "rules[1].afterMinutes", "repeatIntervalHours"]))
            let (unknownStatus, unknown, _) = try await api.call(.POST, "/v1/budgets", #"{"name":"x","rules":[{"kind":"statusChange"}],"channels":["chn_missing"]}"#)
            #expect(unknownStatus == 409, "a channel that does not exist is a conflict with the state, not a bad body")
            #expect(((unknown["errors"] as? [[String: Any]])?.first?["field"] as? String) == "channels[0]")

            var ids: [String] = []
            for i in 0..<5 {
                let body = #"{"name":"b\#(i)","scope":{"region":"bj"},"rules":[{"kind":"usedRatio","thresholds":[0.8,0.95]}],"channels":["\#(channelID)"]}"#
                let (status, created, _) = try await api.call(.POST, "/v1/budgets", body)
                #expect(status == 201)
                #expect(created["version"] as? Int == 1)
                ids.append(try #require(created["id"] as? String))
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let target = "/v1/budgets?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let (status, page, _) = try await api.call(.GET, target, key: api.readKey)
                #expect(status == 200)
                seen += ((page["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            #expect(seen == ids)
            #expect(try await api.call(.GET, "/v1/budgets?cursor=garbage").0 == 404)

            let put = #"{"name":"renamed","rules":[{"kind":"exhaustion","withinHours":48,"per":"pool"}],"channels":[]}"#
            let (putStatus, updated, _) = try await api.call(.PUT, "/v1/budgets/\(ids[0])", put)
            #expect(putStatus == 200)
            #expect(updated["version"] as? Int == 2)
            #expect(updated["name"] as? String == "renamed")
            #expect(try await api.call(.PUT, "/v1/budgets/bud_nope", put).0 == 404)
            #expect(try await api.call(.DELETE, "/v1/budgets/\(ids[0])").0 == 204)
            #expect(try await api.call(.GET, "/v1/budgets/\(ids[0])").0 == 404)
            await api.app.shutdown()
        }
    }

    @Test func alertsAndDeliveries_listFilterAndShowAttempts() async throws {
        try await TestDatabase.with { db in
            let api = try await API.start(db)
            let receiver = try WebhookReceiver.start()
            let channel = try await F.channel(db.store, url: receiver.url)
            let budgetID = try await F.budget(db.store, rules: [.usedRatio(thresholds: [0.8])], channels: [channel.id])
            let inputs = LockedValue(AlertInputs(packages: [F.package("tp-a", ratio: 0.9), F.package("tp-b", ratio: 0.95)]))
            try await F.engine(db.store, inputs: inputs).evaluate(now: F.t0)
            let clock = ManualDate(F.t0)
            try await F.dispatcher(db.store, client: api.app.httpClient, clock: clock).runOnce()

            let (status, list, _) = try await api.call(.GET, "/v1/alerts?state=firing&budget=\(budgetID)", key: api.readKey)
            #expect(status == 200)
            let items = (list["items"] as? [[String: Any]]) ?? []
            #expect(items.count == 2)
            let subject = "package:bce:prod:bj:tp-a"
            let (_, one, _) = try await api.call(.GET, "/v1/alerts?subject=\(subject)")
            #expect(((one["items"] as? [[String: Any]]) ?? []).count == 1)
            let id = try #require(items.first?["id"] as? String)
            let (detailStatus, detail, _) = try await api.call(.GET, "/v1/alerts/\(id)")
            #expect(detailStatus == 200)
            let deliveries = (detail["deliveries"] as? [[String: Any]]) ?? []
            #expect(deliveries.count == 1)
            #expect(deliveries.first?["state"] as? String == "delivered")
            #expect(((deliveries.first?["attempts"] as? [[String: Any]])?.first?["status"] as? Int) == 200)

            #expect(try await api.call(.GET, "/v1/alerts?state=bogus").0 == 422)
            #expect(try await api.call(.GET, "/v1/alerts/999999").0 == 404)
            let (_, delivered, _) = try await api.call(.GET, "/v1/deliveries?state=delivered")
            #expect(((delivered["items"] as? [[String: Any]]) ?? []).count == 2)
            let (_, dead, _) = try await api.call(.GET, "/v1/deliveries?state=dead")
            #expect(((dead["items"] as? [[String: Any]]) ?? []).isEmpty)
            #expect(try await api.call(.GET, "/v1/deliveries?state=lost").0 == 422)
            await receiver.stop()
            await api.app.shutdown()
        }
    }

    @Test func channelTest_sendsNow_andReportsTheOutcome() async throws {
        try await TestDatabase.with { db in
            let api = try await API.start(db)
            let receiver = try WebhookReceiver.start { _, _ in .json(Array("{\"errcode\":0,\"errmsg\":\"ok\"}".utf8)) }
            let (_, channel, _) = try await api.call(.POST, "/v1/channels", #"{"name":"d","format":"dingtalk","url":"\#(receiver.url)?access_token=T0KEN12345","secret":"SECxyz123456"}"#)
            let id = try #require(channel["id"] as? String)
            let (status, result, text) = try await api.call(.POST, "/v1/channels/\(id)/test")
            #expect(status == 200)
            #expect(result["delivered"] as? Bool == true)
            #expect(result["status"] as? Int == 200)
            #expect(!text.contains("T0KEN12345"))
            let query = receiver.received.first.map { $0.path }
            #expect(query == "/hook")
            await receiver.stop()
            await api.app.shutdown()
        }
    }
}
