import Foundation
import TPGWTestSupport
import Testing

/// Authentication, scopes and rate limits on a live gateway.
@Suite(.enabled(if: TestDatabase.isConfigured)) struct APIAuthTests {
    @Test func missingOrUnknownKey_is401ProblemJSON_healthStaysOpen() async throws {
        try await GatewayHarness.with(poll: false) { gw in
            let none = try await gw.request("GET", "/v1/packages", key: nil)
            #expect(none.status == 401)
            #expect(none.code == "unauthorized")
            #expect(none.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            #expect(none.header("X-Request-Id")?.isEmpty == false)
            let unknown = try await gw.request("GET", "/v1/packages", key: "tpgw_" + String(repeating: "0", count: 40))
            #expect(unknown.status == 401)
            let health = try await gw.request("GET", "/healthz", key: nil)
            #expect(health.status == 200)
            let ready = try await gw.request("GET", "/readyz", key: nil)
            #expect(ready.status == 200)
        }
    }

    @Test func readKey_cannotWrite_is403() async throws {
        try await GatewayHarness.with(poll: false) { gw in
            let refresh = try await gw.request("POST", "/v1/refresh", key: "read")
            #expect(refresh.status == 403)
            #expect(refresh.code == "forbidden")
            let buy = try await gw.request("POST", "/v1/packages", key: "read", body: "{}", headers: [("Idempotency-Key", "k1")])
            #expect(buy.status == 403)
            let write = try await gw.request("POST", "/v1/refresh", key: "write")
            #expect(write.status == 200)
        }
    }

    @Test func perKeyRateLimit_answers429WithRetryAfter() async throws {
        try await GatewayHarness.with(poll: false, rateLimitPerSecond: 0.5, rateLimitBurst: 3) { gw in
            var statuses: [Int] = []
            var retryAfter: String?
            for _ in 0..<6 {
                let r = try await gw.request("GET", "/v1/summary", key: "read")
                statuses.append(r.status)
                if r.status == 429 { retryAfter = r.header("Retry-After") }
            }
            #expect(statuses.prefix(3).allSatisfy { $0 == 200 })
            #expect(statuses.last == 429)
            #expect(Int(retryAfter ?? "") ?? 0 >= 1)
            // Another key has its own bucket.
            let other = try await gw.request("GET", "/v1/summary", key: "admin")
            #expect(other.status == 200)
        }
    }
}
