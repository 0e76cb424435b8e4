import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
import TPGWHTTP
import TPGWHTTPClient
import TPGWStore
@testable import bce_sim
@testable import TPGWGateway

/// A database outage is `503` with code `unavailable` (problem+json) on every route that needs the database, never a
/// `500`, and the gateway recovers when the database is back. The gateway reaches the test cluster through an
/// `OutageProxy`, so the outage is its own: new connections are refused and open ones are cut mid-stream.
@Suite(.enabled(if: TestDatabase.isConfigured)) struct APIDatabaseOutageTests {
    /// What each route of openapi.yaml answers while the database is down. Every registered route must be here.
    /// Not 503: liveness (a database outage must not get the process restarted), the metrics scrape and the status
    /// page (they show the last view, and are how the outage is seen), and the price quote (upstream only).
    static let duringOutage: [String: Int] = [
        "GET /healthz": 200, "GET /metrics": 200, "GET /": 200, "POST /v1/packages/quote": 200,
        "GET /readyz": 503,
        "GET /v1/packages": 503, "POST /v1/packages": 503, "GET /v1/packages/{key}": 503, "GET /v1/packages/{key}/usage": 503,
        "GET /v1/summary": 503, "GET /v1/sources": 503, "POST /v1/refresh": 503,
        "GET /v1/budgets": 503, "POST /v1/budgets": 503, "GET /v1/budgets/{id}": 503, "PUT /v1/budgets/{id}": 503,
        "DELETE /v1/budgets/{id}": 503,
        "GET /v1/purchases": 503, "GET /v1/purchases/{id}": 503, "GET /v1/channels": 503, "POST /v1/channels": 503, "GET /v1/channels/{id}": 503, "PUT /v1/channels/{id}": 503,
        "DELETE /v1/channels/{id}": 503, "POST /v1/channels/{id}/test": 503,
        "GET /v1/alerts": 503, "GET /v1/alerts/{id}": 503, "GET /v1/deliveries": 503,
        "POST /v1/alerts/{id}/ack": 503, "POST /v1/deliveries/{id}/retry": 503, "POST /v1/deliveries/retry": 503,
        "GET /v1/silences": 503, "POST /v1/silences": 503, "GET /v1/silences/{id}": 503, "DELETE /v1/silences/{id}": 503,
        "GET /v1/audit": 503, "GET /v1/forecast/accuracy": 503,
    ]

    /// One request per route: (route as registered, method, concrete path, key name, body, headers).
    static func requests(package: String, budget: String, channel: String) -> [(route: String, path: String, key: String?, body: String?, headers: [(String, String)])] {
        let order = #"{"account":"prod","region":"bj","reservationLength":1,"capacity":"10G"}"#
        let channelBody = #"{"name":"ops","format":"json","url":"http://203.0.113.9/hook","secret":"outage-secret"}"#
        let budgetBody = #"{"name":"runway","rules":[{"kind":"usedRatio","thresholds":[0.8]}],"channels":[""# + channel + #""]}"#
        let key = package.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!
        return [
            ("GET /healthz", "/healthz", nil, nil, []),
            ("GET /readyz", "/readyz", nil, nil, []),
            ("GET /metrics", "/metrics", "read", nil, []),
            ("GET /", "/", "read", nil, []),
            ("GET /v1/packages", "/v1/packages?limit=5", "read", nil, []),
            ("POST /v1/packages", "/v1/packages", "write", order, [("Idempotency-Key", "outage-1")]),
            ("POST /v1/packages/quote", "/v1/packages/quote", "read", order, []),
            ("GET /v1/packages/{key}", "/v1/packages/\(key)", "read", nil, []),
            ("GET /v1/packages/{key}/usage", "/v1/packages/\(key)/usage", "read", nil, []),
            ("GET /v1/summary", "/v1/summary?groupBy=region", "read", nil, []),
            ("GET /v1/sources", "/v1/sources", "read", nil, []),
            ("GET /v1/forecast/accuracy", "/v1/forecast/accuracy?days=1", "read", nil, []),
            ("POST /v1/refresh", "/v1/refresh?region=bj", "write", nil, []),
            ("GET /v1/budgets", "/v1/budgets", "read", nil, []),
            ("POST /v1/budgets", "/v1/budgets", "write", budgetBody, []),
            ("GET /v1/budgets/{id}", "/v1/budgets/\(budget)", "read", nil, []),
            ("PUT /v1/budgets/{id}", "/v1/budgets/\(budget)", "write", budgetBody, []),
            ("DELETE /v1/budgets/{id}", "/v1/budgets/\(budget)", "write", nil, []),
            ("GET /v1/purchases", "/v1/purchases", "read", nil, []),
            ("GET /v1/purchases/{id}", "/v1/purchases/1", "read", nil, []),
            ("GET /v1/channels", "/v1/channels", "read", nil, []),
            ("POST /v1/channels", "/v1/channels", "admin", channelBody, []),
            ("GET /v1/channels/{id}", "/v1/channels/\(channel)", "read", nil, []),
            ("PUT /v1/channels/{id}", "/v1/channels/\(channel)", "admin", channelBody, []),
            ("DELETE /v1/channels/{id}", "/v1/channels/\(channel)", "admin", nil, []),
            ("POST /v1/channels/{id}/test", "/v1/channels/\(channel)/test", "admin", nil, []),
            ("GET /v1/alerts", "/v1/alerts?state=firing", "read", nil, []),
            ("GET /v1/alerts/{id}", "/v1/alerts/1", "read", nil, []),
            ("GET /v1/deliveries", "/v1/deliveries", "read", nil, []),
            ("POST /v1/alerts/{id}/ack", "/v1/alerts/1/ack", "write", #"{"comment":"on it"}"#, []),
            ("POST /v1/deliveries/{id}/retry", "/v1/deliveries/dl_1/retry", "write", nil, []),
            ("POST /v1/deliveries/retry", "/v1/deliveries/retry", "write", #"{"channel":""# + channel + #""}"#, []),
            ("GET /v1/silences", "/v1/silences", "read", nil, []),
            ("POST /v1/silences", "/v1/silences", "write",
             #"{"matchers":{"region":"bj"},"endsAt":""# + RFC3339.format(Date().addingTimeInterval(3600)) + #"","comment":"maintenance"}"#, []),
            ("GET /v1/silences/{id}", "/v1/silences/sil_1", "read", nil, []),
            ("DELETE /v1/silences/{id}", "/v1/silences/sil_1", "write", nil, []),
            ("GET /v1/audit", "/v1/audit", "admin", nil, []),
        ]
    }

    @Test func databaseDown_everyRouteThatNeedsIt_is503Unavailable_neverA500_andTheGatewayRecovers() async throws {
        try await Self.withGatewayBehindProxy { gw, proxy in
            // Before the outage: a package, a channel and a budget to address.
            let packages = try await gw.request("GET", "/v1/packages?limit=1")
            let items = try #require(packages.json["items"] as? [[String: Any]])
            let package = try #require(items.first?["key"] as? String)
            let channelReply = try await gw.request("POST", "/v1/channels", key: "admin",
                body: #"{"name":"ops","format":"json","url":"http://203.0.113.9/hook","secret":"outage-secret"}"#)
            #expect(channelReply.status == 201, "\(channelReply.text)")
            let channel = try #require(channelReply.json["id"] as? String)
            let budgetReply = try await gw.request("POST", "/v1/budgets", key: "write",
                body: #"{"name":"runway","rules":[{"kind":"usedRatio","thresholds":[0.99]}],"channels":[""# + channel + #""]}"#)
            #expect(budgetReply.status == 201, "\(budgetReply.text)")
            let budget = try #require(budgetReply.json["id"] as? String)

            let requests = Self.requests(package: package, budget: budget, channel: channel)
            let registered = Set(gw.app.router.routes.map { "\($0.method.rawValue) \($0.pattern)" })
            #expect(Set(requests.map(\.route)) == registered, "every registered route is exercised")
            #expect(Set(Self.duringOutage.keys) == registered)

            proxy.cut()
            // The view notices at its next probe (every 2 s).
            try await waitUntil(within: .seconds(15), every: .milliseconds(200)) { try await gw.request("GET", "/v1/summary").status == 503 }

            var failures: [String] = []
            for r in requests {
                let method = String(r.route.prefix { $0 != " " })
                let reply = try await gw.request(method, r.path, key: r.key, body: r.body, headers: r.headers)
                let expected = Self.duringOutage[r.route]!
                if reply.status != expected {
                    failures.append("\(r.route): \(reply.status) \(reply.text.prefix(200))")
                } else if expected == 503 {
                    let contentType = reply.header("Content-Type") ?? ""
                    if reply.code != "unavailable" || !contentType.hasPrefix("application/problem+json")
                        || reply.json["status"] as? Int != 503 || reply.json["requestId"] as? String == nil {
                        failures.append("\(r.route): not an unavailable problem: \(contentType) \(reply.text.prefix(200))")
                    }
                }
            }
            #expect(failures == [])
            #expect(!gw.logText.contains("Request handler failed"), "no request fell through to the 500 handler")
            #expect(!gw.logText.contains("outage-secret"))

            try proxy.restore()
            try await waitUntil(within: .seconds(20), every: .milliseconds(200)) { try await gw.request("GET", "/v1/summary").status == 200 }
            #expect(try await gw.request("GET", "/v1/budgets/\(budget)").status == 200)
            #expect(try await gw.request("GET", "/readyz", key: nil).status == 200)
        }
    }

    @Test func databaseCutMidRequests_answersAreOnly200Or503Unavailable() async throws {
        try await Self.withGatewayBehindProxy { gw, proxy in
            // Many reads in flight while the database goes away: queries die mid-stream, waiting callers find no
            // connection. Whatever happens to each, it is a 200 or a 503 `unavailable`.
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for i in 0..<60 {
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(5 * i))
                        return try await gw.request("GET", i % 2 == 0 ? "/v1/budgets" : "/v1/deliveries?state=dead")
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(100))
                    proxy.cut()
                    return Reply(status: 200, headers: [], body: [])
                }
                var all: [Reply] = []
                for try await reply in group { all.append(reply) }
                return all
            }
            let bad = replies.filter { !($0.status == 200 || ($0.status == 503 && $0.code == "unavailable")) }
            #expect(bad.map { "\($0.status) \($0.text.prefix(120))" } == [])
            #expect(replies.contains { $0.status == 503 }, "the outage was seen")
            #expect(!gw.logText.contains("Request handler failed"))
        }
    }

    /// Each way the store reports a database it cannot use, through the one error middleware: 503 `unavailable`.
    @Test func everyDatabaseUnavailability_mapsTo503Unavailable_inTheErrorMiddleware() async throws {
        let errors = [
            PostgresError(.connectionFailed, "could not connect: Connection refused"),
            PostgresError(.connectionLost, "connection lost: server closed the connection unexpectedly"),
            PostgresError(.poolTimeout, "no database connection free within 10 seconds"),
            PostgresError(.poolClosed, "the connection pool is closed"),
            PostgresError(.server, "terminating connection due to administrator command", sqlState: "57P01"),
            PostgresError(.server, "the database system is shutting down", sqlState: "57P03"),
            PostgresError(.server, "connection failure", sqlState: "08006"),
            PostgresError(.server, "sorry, too many clients already", sqlState: "53300"),
            PostgresError(.server, "could not serialize access", sqlState: "40001"),
        ]
        for error in errors {
            let router = Router()
            router.add(middleware: APIErrorMiddleware())
            router.get("/x", use: { _, _ in throw error })
            let request = HTTPRequest(method: .GET, target: "/x")
            let response = try await router.makeHandler()(request, RequestContext.make(for: request, logger: .disabled))
            let body = String(decoding: response.body, as: UTF8.self)
            #expect(response.status.code == 503, "\(error)")
            #expect(body.contains(#""code":"unavailable""#), "\(error)")
            #expect(response.headers["Content-Type"] == "application/problem+json")
            #expect(!body.contains("Connection refused") && !body.contains("too many clients"), "no server text in the answer")
        }
    }

    // MARK: - Harness

    /// A `GatewayHarness` whose database URL goes through an `OutageProxy` (the keys are made before it starts, so
    /// they are in its memory during the outage).
    static func withGatewayBehindProxy(_ body: (GatewayHarness, OutageProxy) async throws -> Void) async throws {
        let db = try await TestDatabase.make()
        let regions = ["bj", "gz"]
        let sim = try await SimulatorServer.start(
            regions: regions, ak: GatewayHarness.ak, sk: GatewayHarness.sk, packagesPerRegion: 10, seed: 7, timeScale: 0)
        let placeholder = try #require(OutageProxy.rewrite(db.url, to: 0))
        let proxy = try OutageProxy(host: placeholder.host, port: placeholder.port)
        var config = GatewayConfiguration()
        config.listen = "127.0.0.1:0"
        config.databaseURL = try #require(OutageProxy.rewrite(db.url, to: proxy.port)).url
        config.migrationsDir = TestDatabase.migrationsDirectory
        config.pollIntervalSeconds = 3600
        config.rateLimitPerSecond = 1000
        config.rateLimitBurst = 1000
        config.accounts = [AccountConfiguration(
            name: "prod", accessKeyId: GatewayHarness.ak, secret: GatewayHarness.sk, regions: regions,
            endpoints: Dictionary(uniqueKeysWithValues: regions.map { ($0, sim.baseURL(for: $0)) }))]
        let logs = MemoryLogSink()
        let app = try Gateway.make(configuration: config, clock: ContinuousClock(), logger: Logger(label: "tpgw", level: .debug, sink: logs))
        var keys: [String: String] = [:]
        for scope in ["read", "write", "admin"] {
            let key = APIKey.generate()
            _ = try await db.store.insertAPIKey(name: scope, keyHash: APIKey.hash(key), scopes: [scope])
            keys[scope] = key
        }
        let running = try await app.start(migrate: true)
        let gw = GatewayHarness(db: db, sim: sim, app: app, running: running, client: HTTPClient(), logs: logs, keys: keys)
        do {
            let refresh = try await gw.request("POST", "/v1/refresh", key: "write")
            #expect(refresh.status == 200)
            try await app.views.rebuild()
            try await body(gw, proxy)
        } catch {
            proxy.cut()
            await gw.stop()
            throw error
        }
        proxy.cut()
        await gw.stop()
    }
}
