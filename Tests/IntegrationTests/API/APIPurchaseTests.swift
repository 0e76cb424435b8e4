import Foundation
import TPGWTestSupport
import Testing
import TPGWStore
@testable import bce_sim
@testable import TPGWGateway

/// `POST /v1/packages` and `/quote`: validation before upstream, idempotency, audit, and nothing written on bad input.
@Suite(.enabled(if: TestDatabase.isConfigured)) struct APIPurchaseTests {
    static let order = #"{"account":"prod","region":"bj","capacity":"100G","reservationLength":1}"#

    private func count(_ gw: GatewayHarness, _ table: String) async throws -> Int {
        let rows = try await gw.db.pool.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(table)"))
        return try rows[0].decode(Int.self, at: 0)
    }

    @Test func sameKeySameBody_buysOnce_andReplaysTheAnswer() async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 3) { gw in
            let first = try await gw.request("POST", "/v1/packages", key: "write", body: Self.order, headers: [("Idempotency-Key", "order-1")])
            #expect(first.status == 201, "\(first.text)")
            let key = try #require(first.json["key"] as? String)
            let again = try await gw.request("POST", "/v1/packages", key: "write", body: Self.order, headers: [("Idempotency-Key", "order-1")])
            #expect(again.status == 201)
            #expect(again.json["key"] as? String == key)
            // The new package is visible at once, before any poll.
            let one = try await gw.request("GET", "/v1/packages/\(key)")
            #expect(one.status == 200, "\(one.text)")
            // Upstream saw exactly one purchase: 3 seeded + 1.
            let refresh = try await gw.request("POST", "/v1/refresh", key: "write")
            #expect(refresh.text.contains("\"packages\":4"), "\(refresh.text)")
            #expect(try await count(gw, "purchases") == 1)
            #expect(try await count(gw, "purchase_attempts") >= 2)
        }
    }

    @Test func sameKeyOtherBody_is409() async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 1) { gw in
            let first = try await gw.request("POST", "/v1/packages", key: "write", body: Self.order, headers: [("Idempotency-Key", "order-2")])
            #expect(first.status == 201)
            let other = #"{"account":"prod","region":"bj","capacity":"1T","reservationLength":1}"#
            let clash = try await gw.request("POST", "/v1/packages", key: "write", body: other, headers: [("Idempotency-Key", "order-2")])
            #expect(clash.status == 409)
            #expect(clash.code == "conflict")
        }
    }

    @Test(arguments: [
        // (body, idempotency key, status, field or message fragment)
        (#"{"account":"prod","region":"bj","capacity":"100G","reservationLength":1}"#, "", 400, "Idempotency-Key"),
        (#"{"account":"prod","#, "k", 400, "JSON"),
        (#"[1,2]"#, "k", 400, "object"),
        (#"{"account":"prod","region":"bj","capacity":100,"reservationLength":"1"}"#, "k", 422, "capacity"),
        (#"{"account":"prod","region":"bj","capacity":"100G","reservationLength":2}"#, "k", 422, "reservationLength"),
        (#"{"account":"prod","region":"bj","capacity":"3GB","reservationLength":1}"#, "k", 422, "capacity"),
        (#"{"account":"prod","region":"mars","capacity":"100G","reservationLength":1}"#, "k", 404, "region"),
        (#"{"account":"nobody","region":"bj","capacity":"100G","reservationLength":1}"#, "k", 404, "account"),
        (#"{"account":"prod","region":"bj","capacity":"100G","reservationLength":1e300}"#, "k", 422, "reservationLength"),
        (#"{"account":"prod","region":"bj","capacity":"100G","reservationLength":1,"policy":"sometimes"}"#, "k", 422, "policy"),
        (#"{"account":"prod","region":"bj","capacity":"100G","reservationLength":1,"colour":"red"}"#, "k", 422, "colour"),
    ])
    func badOrder_isRejectedBeforeUpstream_andWritesNothing(body: String, idempotencyKey: String, status: Int, fragment: String) async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 1, poll: false) { gw in
            let headers = idempotencyKey.isEmpty ? [] : [("Idempotency-Key", idempotencyKey)]
            let r = try await gw.request("POST", "/v1/packages", key: "write", body: body, headers: headers)
            #expect(r.status == status, "\(body): \(r.text)")
            #expect(r.text.contains(fragment), "\(body): \(r.text)")
            #expect(r.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            #expect(try await count(gw, "purchases") == 0)
            #expect(try await count(gw, "packages") == 0)
        }
    }

    @Test func quote_validatesAndPrices() async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 1, poll: false) { gw in
            let ok = try await gw.request("POST", "/v1/packages/quote", key: "read", body: Self.order)
            #expect(ok.status == 200, "\(ok.text)")
            let bad = try await gw.request("POST", "/v1/packages/quote", key: "read", body: #"{"account":"prod"}"#)
            #expect(bad.status == 422)
            let fields = Set((bad.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
            #expect(fields.isSuperset(of: ["region", "capacity", "reservationLength"]))
        }
    }

    @Test func oversizedBody_is413_andNothingWritten() async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 1, poll: false) { gw in
            let huge = #"{"account":""# + String(repeating: "x", count: 2_000_000) + #""}"#
            let r = try await gw.request("POST", "/v1/packages", key: "write", body: huge, headers: [("Idempotency-Key", "big")])
            #expect(r.status == 413)
            #expect(try await count(gw, "purchases") == 0)
        }
    }

    @Test func secrets_neverAppearInLogsOrResponses() async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 2) { gw in
            var bodies: [String] = []
            bodies.append(try await gw.request("POST", "/v1/packages", key: "write", body: Self.order, headers: [("Idempotency-Key", "s1")]).text)
            bodies.append(try await gw.request("GET", "/v1/packages", key: "bogus-key").text)
            bodies.append(try await gw.request("GET", "/v1/sources").text)
            bodies.append(try await gw.request("GET", "/v1/summary").text)
            let logs = gw.logText
            #expect(!logs.isEmpty)
            for secret in [GatewayHarness.sk] + gw.keys.values {
                #expect(!logs.contains(secret), "a secret appears in the logs")
                #expect(!bodies.contains { $0.contains(secret) }, "a secret appears in a response")
            }
        }
    }
}

/// The purchase ledger under concurrency, across API keys, after lost responses and crashes; and its list and detail.
@Suite(.enabled(if: TestDatabase.isConfigured)) struct APIPurchaseLedgerTests {
    static let order = APIPurchaseTests.order

    private func scalar(_ gw: GatewayHarness, _ sql: String) async throws -> Int {
        let rows = try await gw.db.pool.query(PostgresQuery(unsafeSQL: sql))
        return try rows[0].decode(Int.self, at: 0)
    }

    /// Adds a second write key, named `other`, and makes the running gateway know it.
    private func addKey(_ gw: GatewayHarness) async throws -> String {
        let key = APIKey.generate()
        _ = try await gw.db.store.insertAPIKey(name: "other", keyHash: APIKey.hash(key), scopes: ["write"])
        try await gw.app.keys.reload()
        return key
    }

    @Test func sameIdempotencyKeyFromTwoAPIKeys_isTwoPurchases() async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 2) { gw in
            let other = try await addKey(gw)
            let a = try await gw.request("POST", "/v1/packages", key: "write", body: Self.order, headers: [("Idempotency-Key", "shared-1")])
            let b = try await gw.request("POST", "/v1/packages", key: other, body: Self.order, headers: [("Idempotency-Key", "shared-1")])
            #expect(a.status == 201, "\(a.text)")
            #expect(b.status == 201, "\(b.text)")
            #expect(b.header("Idempotent-Replayed") == nil)
            let keyA = try #require(a.json["key"] as? String)
            let keyB = try #require(b.json["key"] as? String)
            #expect(keyA != keyB)
            #expect(gw.sim.createRequests(region: "bj") == 2)
            #expect(gw.sim.packageCount(region: "bj") == 4)
            #expect(try await scalar(gw, "SELECT count(*)::int FROM purchases") == 2)
            // Each key replays its own purchase.
            let againB = try await gw.request("POST", "/v1/packages", key: other, body: Self.order, headers: [("Idempotency-Key", "shared-1")])
            #expect(againB.status == 201 && againB.json["key"] as? String == keyB)
            #expect(againB.header("Idempotent-Replayed") == "true")
            // The list says who asked for which.
            let list = try await gw.request("GET", "/v1/purchases")
            let items = list.json["items"] as? [[String: Any]] ?? []
            #expect(Set(items.compactMap { $0["requestedBy"] as? String }) == ["write", "other"])
            #expect(Set(items.compactMap { $0["packageKey"] as? String }) == [keyA, keyB])
        }
    }

    @Test func eightConcurrentIdenticalRequests_sendExactlyOneCreate() async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 2) { gw in
            // A slow create keeps the first request in flight while the others arrive.
            var slow = SimFault()
            slow.latencyMs = 800
            slow.operations = ["create"]
            gw.sim.setFault(region: "bj", slow)
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await gw.request("POST", "/v1/packages", key: "write", body: Self.order, headers: [("Idempotency-Key", "rush-1")])
                    }
                }
                var all: [Reply] = []
                for try await r in group { all.append(r) }
                return all
            }
            #expect(gw.sim.createRequests(region: "bj") == 1)
            #expect(gw.sim.packageCount(region: "bj") == 3)
            let created = replies.filter { $0.status == 201 }
            let waiting = replies.filter { $0.status == 409 }
            #expect(created.count + waiting.count == 8, "\(replies.map { "\($0.status) \($0.text)" })")
            #expect(created.filter { $0.header("Idempotent-Replayed") == nil }.count == 1)
            for r in waiting {
                #expect(r.code == "inProgress", "\(r.text)")
                #expect(r.header("Retry-After") == "2")
            }
            #expect(Set(created.compactMap { $0.json["key"] as? String }).count == 1)
            // Once the first finished, the same request replays its answer.
            gw.sim.clearFaults()
            let again = try await gw.request("POST", "/v1/packages", key: "write", body: Self.order, headers: [("Idempotency-Key", "rush-1")])
            #expect(again.status == 201 && again.header("Idempotent-Replayed") == "true")
            #expect(gw.sim.createRequests(region: "bj") == 1)
            #expect(try await scalar(gw, "SELECT count(*)::int FROM purchases") == 1)
        }
    }

    @Test func lostCreateResponse_leavesPending_andOneReconcilerPassSettlesIt() async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 2) { gw in
            // BCE buys, then every answer to the create is lost (connection closed after the commit).
            var lost = SimFault()
            lost.closeConnection = true
            lost.afterCommit = true
            lost.operations = ["create"]
            gw.sim.setFault(region: "bj", lost)
            let first = try await gw.request("POST", "/v1/packages", key: "write", body: Self.order, headers: [("Idempotency-Key", "lost-1")])
            #expect(first.status == 503, "\(first.text)")
            #expect(gw.sim.packageCount(region: "bj") == 3)
            let id = try await scalar(gw, "SELECT id::int FROM purchases")
            let pending = try await gw.request("GET", "/v1/purchases/\(id)")
            #expect(pending.json["state"] as? String == "pending", "\(pending.text)")
            #expect((pending.json["error"] as? [String: Any])?["code"] != nil)

            gw.sim.clearFaults()
            let report = try await gw.app.makePurchaseReconciler().pass(now: Date().addingTimeInterval(1))
            #expect(report == PurchaseReconciler.Report(checked: 1, succeeded: 1))
            // Re-sending the create with the same clientToken found the package bought the first time.
            #expect(gw.sim.packageCount(region: "bj") == 3)
            let settled = try await gw.request("GET", "/v1/purchases/\(id)")
            #expect(settled.json["state"] as? String == "succeeded", "\(settled.text)")
            let packageKey = try #require(settled.json["packageKey"] as? String)
            #expect((settled.json["attempts"] as? [[String: Any]] ?? []).contains { $0["requestedBy"] as? String == "reconciler" && $0["outcome"] as? String == "succeeded" })
            // The client's retry replays the settled answer; nothing more is sent.
            let creates = gw.sim.createRequests(region: "bj")
            let retry = try await gw.request("POST", "/v1/packages", key: "write", body: Self.order, headers: [("Idempotency-Key", "lost-1")])
            #expect(retry.status == 201 && retry.json["key"] as? String == packageKey)
            #expect(gw.sim.createRequests(region: "bj") == creates)
            // A second pass has nothing to do.
            #expect(try await gw.app.makePurchaseReconciler().pass(now: Date().addingTimeInterval(1)) == PurchaseReconciler.Report())
        }
    }

    /// Rows as a crash leaves them: inserted pending, lease long gone, never answered.
    private func insertCrashedRow(_ gw: GatewayHarness, key: String, age: String) async throws -> Int64 {
        let rows = try await gw.db.pool.query("""
            INSERT INTO purchases (api_key_id, caller, account, region, idempotency_key, request_canonical, request_body, client_token, state,
                                   created_at, updated_at, lease_until)
            SELECT id, name, 'prod', 'bj', \(key), 'prod|bj|1|100G|fullTime|WebOutBytes',
                   '{"account":"prod","region":"bj","reservationLength":1,"capacity":"100G","policy":"fullTime","lineType":"WebOutBytes"}'::jsonb,
                   \("tpgw-crash-" + key), 'pending', now() - \(age)::interval, now() - \(age)::interval, now() - \(age)::interval
            FROM api_keys WHERE name = 'write'
            RETURNING id
            """)
        return try rows[0].decode(Int64.self, at: 0)
    }

    @Test func crashedPendingRows_areResentWhenYoung_andBecomeUnknownWhenOld() async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 2, poll: false) { gw in
            let young = try await insertCrashedRow(gw, key: "crash-young", age: "10 minutes")
            let old = try await insertCrashedRow(gw, key: "crash-old", age: "7 hours")
            var config = PurchaseReconciler.Configuration()
            config.giveUpAfter = 6 * 3600
            let report = try await gw.app.makePurchaseReconciler(config).pass(now: Date())
            #expect(report == PurchaseReconciler.Report(checked: 2, succeeded: 1, unknown: 1))
            #expect(gw.sim.createRequests(region: "bj") == 1)
            #expect(gw.sim.packageCount(region: "bj") == 3)

            let y = try await gw.request("GET", "/v1/purchases/\(young)")
            #expect(y.json["state"] as? String == "succeeded", "\(y.text)")
            #expect((y.json["packageId"] as? String)?.hasPrefix("tp-") == true)
            #expect(y.json["checks"] as? Int == 1)
            let o = try await gw.request("GET", "/v1/purchases/\(old)")
            #expect(o.json["state"] as? String == "unknown", "\(o.text)")
            let error = try #require(o.json["error"] as? [String: Any])
            #expect(error["code"] as? String == "outcomeUnknown")
            #expect((error["message"] as? String)?.contains("clientToken") == true)
            // The owner retrying the unknown one is told so, and nothing is bought.
            let retry = try await gw.request("POST", "/v1/packages", key: "write", body: APIPurchaseTests.order, headers: [("Idempotency-Key", "crash-old")])
            #expect(retry.status == 409 && retry.text.contains("unknown outcome"), "\(retry.text)")
            #expect(gw.sim.createRequests(region: "bj") == 1)
        }
    }

    @Test func pendingRowWhoseRequestGaveUp_isTakenOverByTheRetry() async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 1, poll: false) { gw in
            _ = try await insertCrashedRow(gw, key: "again-1", age: "5 minutes")
            // A row inserted by hand has the token "tpgw-crash-again-1"; the retry reuses the stored token.
            let r = try await gw.request("POST", "/v1/packages", key: "write", body: APIPurchaseTests.order, headers: [("Idempotency-Key", "again-1")])
            #expect(r.status == 201, "\(r.text)")
            #expect(gw.sim.createRequests(region: "bj") == 1)
            #expect(try await scalar(gw, "SELECT count(*)::int FROM purchases WHERE state = 'succeeded'") == 1)
        }
    }

    @Test func listPagesNewestFirst_getShowsTheAuditTrail_andBothNeedReadScope() async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 1, poll: false) { gw in
            for n in 1...3 {
                let r = try await gw.request("POST", "/v1/packages", key: "write", body: Self.order, headers: [("Idempotency-Key", "page-\(n)")])
                #expect(r.status == 201, "\(r.text)")
            }
            let conflict = #"{"account":"prod","region":"bj","capacity":"1T","reservationLength":1}"#
            _ = try await gw.request("POST", "/v1/packages", key: "write", body: conflict, headers: [("Idempotency-Key", "page-3")])

            let first = try await gw.request("GET", "/v1/purchases?limit=2")
            #expect(first.status == 200, "\(first.text)")
            let items = first.json["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["idempotencyKey"] as? String } == ["page-3", "page-2"])
            #expect(items.allSatisfy { $0["state"] as? String == "succeeded" && $0["requestedBy"] as? String == "write" && $0["attempts"] == nil })
            let cursor = try #require(first.json["nextCursor"] as? String)
            let second = try await gw.request("GET", "/v1/purchases?limit=2&cursor=\(cursor)")
            #expect((second.json["items"] as? [[String: Any]] ?? []).map { $0["idempotencyKey"] as? String } == ["page-1"])
            #expect(second.json["nextCursor"] is NSNull)

            let id = try #require(items.first?["id"] as? String)
            let one = try await gw.request("GET", "/v1/purchases/\(id)")
            #expect(one.status == 200)
            let request = try #require(one.json["request"] as? [String: Any])
            #expect(request["capacity"] as? String == "100G" && request["reservationLength"] as? Int == 1)
            #expect(request["account"] as? String == "prod" && request["region"] as? String == "bj")
            let outcomes = (one.json["attempts"] as? [[String: Any]] ?? []).compactMap { $0["outcome"] as? String }
            #expect(outcomes == ["succeeded", "conflict"])

            let none = try await gw.request("GET", "/v1/purchases?state=succeeded&requestedBy=nobody")
            #expect(none.status == 200 && (none.json["items"] as? [Any])?.isEmpty == true, "\(none.text)")
            #expect(try await gw.request("GET", "/v1/purchases?state=lost").status == 422)
            #expect(try await gw.request("GET", "/v1/purchases/999999").status == 404)
            #expect(try await gw.request("GET", "/v1/purchases/abc").status == 404)
            #expect(try await gw.request("GET", "/v1/purchases", key: nil).status == 401)
            #expect(try await gw.request("GET", "/v1/purchases/\(id)", key: nil).status == 401)
        }
    }
}
