import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
import TPGWHTTP
@testable import TPGWGateway

/// Unauthenticated load on a live gateway: bodies refused before they are read, failed authentications limited per
/// address, readiness when keys cannot be reloaded, and `/metrics` rendered once a second however many scrape.
@Suite(.enabled(if: TestDatabase.isConfigured)) struct APILoadTests {
    @Test func bodyWithoutKey_is401AndClosed_beforeTheBodyIsSent() async throws {
        try await GatewayHarness.with(poll: false) { gw in
            let port = gw.running.port
            try await RawHTTPClient.onThread {
                let client = try RawHTTPClient(port: port, timeoutSeconds: 3)
                try client.send("POST /v1/budgets HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n")
                let r = try client.readResponse()
                #expect(r.status == 401)
                #expect(r.header("Content-Type") == "application/problem+json")
                #expect(r.body.contains("\"code\":\"unauthorized\""))
                #expect(client.isClosedByPeer())

                let unknown = try RawHTTPClient(port: port, timeoutSeconds: 3)
                try unknown.send("POST /v1/budgets HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer tpgw_\(String(repeating: "1", count: 40))\r\nContent-Length: 1048576\r\n\r\n")
                #expect(try unknown.readResponse().status == 401)
                #expect(unknown.isClosedByPeer())
            }
        }
    }

    @Test func bodyWithKnownKey_isReadAndHandled() async throws {
        try await GatewayHarness.with(poll: false) { gw in
            let created = try await gw.request("POST", "/v1/budgets", key: "write", body: #"{"name":"c","rules":[{"kind":"statusChange"}],"channels":[]}"#)
            #expect(created.status == 201)
            // A known key without the scope passes the gate; the handler answers 403 after reading the body.
            let forbidden = try await gw.request("POST", "/v1/budgets", key: "read", body: #"{"name":"d","rules":[{"kind":"statusChange"}],"channels":[]}"#)
            #expect(forbidden.status == 403)
        }
    }

    @Test func expectContinueWithoutKey_is401_not100() async throws {
        try await GatewayHarness.with(poll: false) { gw in
            let port = gw.running.port
            let key = gw.keys["write"]!
            try await RawHTTPClient.onThread {
                let client = try RawHTTPClient(port: port, timeoutSeconds: 3)
                try client.send("POST /v1/budgets HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 60\r\n\r\n")
                #expect(try client.readResponse().status == 401)
                #expect(client.isClosedByPeer())

                let body = #"{"name":"e","rules":[{"kind":"statusChange"}],"channels":[]}"#
                let good = try RawHTTPClient(port: port, timeoutSeconds: 3)
                try good.send("POST /v1/budgets HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(key)\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
                #expect(try good.readResponse().status == 100)
                try good.send(body)
                #expect(try good.readResponse().status == 201)
            }
        }
    }

    @Test func failedAuthentications_perAddress_become429WithRetryAfter() async throws {
        // A slow refill, so that the bucket is still empty after 20 failures however busy the machine is.
        try await GatewayHarness.with(poll: false, configure: { $0.failedAuthPerSecond = 0.01 }) { gw in
            // 20 failures at once (no key: they fail without a database round trip).
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 { group.addTask { try await gw.request("GET", "/v1/summary", key: nil).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 401 })
            #expect(try await gw.request("GET", "/v1/summary", key: "tpgw_bad").status == 429)
            let limited = try await gw.request("GET", "/v1/summary", key: "read")
            #expect(limited.status == 429, "this address failed 20 times: even a good key waits")
            #expect(Int(limited.header("Retry-After") ?? "") ?? 0 >= 1)
            let body = try await gw.request("POST", "/v1/budgets", key: "write", body: #"{"name":"f","rules":[{"kind":"statusChange"}],"channels":[]}"#)
            #expect(body.status == 429, "the head gate limits too")
            #expect(body.header("Retry-After") != nil)
            #expect(try await gw.request("GET", "/healthz", key: nil).status == 200, "open routes stay open")
        }
    }

    @Test func readyz_is503_whenKeysCouldNotBeReloadedForFiveMinutes() async throws {
        try await GatewayHarness.with(poll: false) { gw in
            let failing = LockedValue(false)
            let ring = KeyRing(load: {
                if failing.value { throw AppError(.unavailable, "database down") }
                return []
            })
            let now = Date()
            try await ring.reload(now: now.addingTimeInterval(-400))
            failing.withLock { $0 = true }
            _ = try? await ring.reload(now: now.addingTimeInterval(-10))
            let health = HealthRoutes(store: gw.app.store, migrator: gw.app.migrator, keys: ring)
            #expect(await health.notReadyReason(now: now.addingTimeInterval(-150)) == nil, "failing for less than 5 minutes")
            let reason = await health.notReadyReason(now: now)
            #expect(reason?.contains("API keys not reloaded for") == true, "\(reason ?? "nil")")
            // Through the route, as /readyz answers (the error middleware renders it as a 503 problem).
            let context = RequestContext(requestID: "r", logger: .disabled)
            do {
                _ = try await health.ready(HTTPRequest(method: .GET, target: "/readyz"), context)
                Issue.record("expected not ready")
            } catch let error as AppError {
                #expect(APIError.status(for: error.code) == .serviceUnavailable)
                #expect(error.message.contains("API keys"))
            }
            // The gateway's own ring reloads fine: its /readyz stays 200.
            #expect(try await gw.request("GET", "/readyz", key: nil).status == 200)
        }
    }

    @Test func metrics_scrapedConcurrently_rendersOnceASecond() async throws {
        try await GatewayHarness.with(poll: false) { gw in
            _ = try await gw.request("GET", "/metrics")
            let before = gw.app.ops.scrapeRenderCount
            let started = ContinuousClock.now
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<24 { group.addTask { try await gw.request("GET", "/metrics").status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            let took = ContinuousClock.now - started
            #expect(statuses.allSatisfy { $0 == 200 })
            let renders = gw.app.ops.scrapeRenderCount - before
            // 24 scrapes within a second share one rendering (one more when they straddle the second's end).
            if took < .seconds(1) { #expect(renders <= 1, "\(renders) renders for 24 concurrent scrapes") }
        }
    }
}
