import Foundation
import Testing
import TPGWCore
import TPGWTestSupport
import TPGWHTTPClient
@testable import TPGWGateway

/// The probabilistic forecaster through the composition root: a gateway started on a database with ten days of
/// stored history builds its forecast features from those rows at startup, and `/v1/packages`, `/v1/summary`,
/// `/metrics` and `GET /v1/forecast/accuracy` show what it forecasts.
@Suite(.enabled(if: TestDatabase.isConfigured))
struct ForecastWiringTests {
    @Test func startup_buildsFeaturesFromStoredHistory_andEverySurfaceShowsTheQuantiles() async throws {
        nonisolated(unsafe) var config = GatewayConfiguration()
        try await GatewayHarness.with(regions: ["bj"], packages: 12, configure: { config = $0 }) { gw in
            // The harness's gateway stops first: its polls write forecast features (from the one poll it saw), and a
            // replica trusts stored features over history. This test is about a start with none stored (the first
            // start after an upgrade), so none may be written after they are cleared below.
            await gw.running.stop()
            // Ten days of hourly history leading up to what the poll stored: every package drew its used bytes evenly.
            _ = try await gw.db.store.pool.query("""
                INSERT INTO snapshots (package_pk, observed_at, used_bytes, capacity_bytes, status)
                SELECT p.id, p.last_seen_at - k * interval '1 hour', p.used_bytes * (240 - k) / 240, p.capacity_bytes, 'active'
                FROM packages p CROSS JOIN generate_series(1, 240) k
                WHERE p.status = 'active' AND p.last_seen_at - k * interval '1 hour' >= coalesce(p.activated_at, p.created_at)
                ON CONFLICT DO NOTHING
                """)
            _ = try await gw.db.store.pool.query("DELETE FROM forecast_features")
            // A second replica starts on that database: its first view reads the history (not re-read afterwards).
            let app = try Gateway.make(configuration: config, clock: ContinuousClock(), logger: .disabled)
            let running = try await app.start(migrate: false)
            let client = HTTPClient()
            func get(_ path: String, key: String? = "read") async throws -> Reply {
                var headers: [(name: String, value: String)] = []
                if let key { headers.append((name: "Authorization", value: "Bearer \(gw.keys[key]!)")) }
                let r = try await client.execute(HTTPClientRequest(
                    method: "GET", url: "http://127.0.0.1:\(running.port)\(path)", headers: headers, body: [], totalTimeout: .seconds(60)))
                return Reply(status: r.status, headers: r.headers, body: r.body)
            }
            do {
                #expect(app.forecastFeatures.count > 0)
                let packages = try await get("/v1/packages?status=active&limit=100")
                #expect(packages.status == 200)
                let items = try #require(packages.json["items"] as? [[String: Any]])
                var burning = 0
                for item in items {
                    let forecast = try #require(item["forecast"] as? [String: Any])
                    let basis = try #require(forecast["basis"] as? [String: Any], "every active package has a basis")
                    #expect(forecast.keys.contains("exhaustsAtP10") && forecast.keys.contains("exhaustsAtP90"))
                    #expect(forecast["unusedAtExpiryBytesP10"] is Int && forecast["unusedAtExpiryBytesP90"] is Int)
                    // Packages bought over ten days ago have the whole history; younger ones only since their purchase.
                    let bought = ((item["activatedAt"] as? String) ?? (item["createdAt"] as? String)).flatMap(RFC3339.parse) ?? Date()
                    guard (item["usedBytes"] as? Int ?? 0) > 0, bought < Date().addingTimeInterval(-10 * 86400) else { continue }
                    burning += 1
                    #expect((basis["historyHours"] as? Int ?? 0) >= 200, "built from the stored history: \(basis)")
                    #expect((basis["model"] as? String)?.hasPrefix("lifetime-average") == false, "\(basis)")
                    if let p10 = (forecast["exhaustsAtP10"] as? String).flatMap(RFC3339.parse),
                       let p50 = (forecast["exhaustsAt"] as? String).flatMap(RFC3339.parse) {
                        #expect(p10 <= p50)
                        if let p90 = (forecast["exhaustsAtP90"] as? String).flatMap(RFC3339.parse) { #expect(p50 <= p90) }
                    }
                }
                #expect(burning > 0)

                let summary = try await get("/v1/summary")
                let pool = try #require(((summary.json["groups"] as? [[String: Any]])?.first?["pools"] as? [[String: Any]])?.first)
                #expect(pool.keys.contains("emptyAtP10") && pool.keys.contains("emptyAtP90"))

                // The ops preparation renders the scrape ahead (every second).
                var metrics = ""
                for _ in 0..<50 where !metrics.contains("tpgw_package_exhaustion_p10_timestamp_seconds{") {
                    metrics = try await get("/metrics", key: nil).text
                    if !metrics.contains("tpgw_package_exhaustion_p10_timestamp_seconds{") { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(metrics.contains("tpgw_package_exhaustion_p10_timestamp_seconds{"))
                #expect(metrics.contains("tpgw_package_exhaustion_timestamp_seconds{"))

                let accuracy = try await get("/v1/forecast/accuracy?days=3&horizon=24h")
                #expect(accuracy.status == 200, "\(accuracy.text)")
                #expect(accuracy.json["days"] as? Int == 3)
                #expect(accuracy.json["horizonHours"] as? Double == 24)
                #expect((accuracy.json["packages"] as? Int ?? 0) > 0)
                #expect(accuracy.json["overall"] is [String: Any])
                #expect((accuracy.json["byRegion"] as? [String: Any])?["bj"] != nil)
                #expect(accuracy.json["confidence"] as? Double == 0.9)
                // The replayed rule at the confidence asked for (what a budget's rule would do at it).
                let cautious = try await get("/v1/forecast/accuracy?days=3&horizon=24h&confidence=0.99")
                #expect(cautious.status == 200, "\(cautious.text)")
                #expect(cautious.json["confidence"] as? Double == 0.99)

                for bad in ["days=29", "days=0", "horizon=0h", "horizon=169h", "horizon=8d", "horizon=024h", "days=x", "depth=3", "confidence=1", "confidence=0.4"] {
                    let r = try await get("/v1/forecast/accuracy?\(bad)")
                    #expect(r.status == 422, "\(bad): \(r.status)")
                }
                #expect(try await get("/v1/forecast/accuracy", key: nil).status == 401)
            } catch {
                await running.stop()
                await app.shutdown()
                await client.shutdown()
                throw error
            }
            await running.stop()
            await app.shutdown()
            await client.shutdown()
        }
    }
}
