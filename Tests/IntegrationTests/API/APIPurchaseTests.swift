import Foundation
import Testing
import TPGWStore

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
        (#"{"account":"prod","region":"mars","capacity":"100G","reservationLength":1}"#, "k", 422, "region"),
        (#"{"account":"nobody","region":"bj","capacity":"100G","reservationLength":1}"#, "k", 422, "account"),
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
