import Foundation
import Testing
import TPGWCore
import TPGWStore
import TPGWTestSupport
import TPGWHTTPClient
@testable import TPGWGateway

/// Stored forecast features through the composition root and a real PostgreSQL: a replica that built its features
/// from ten days of history writes them with its next poll (in the poll's transaction), and a replica started after
/// it loads them instead of refolding the history, down to the same features; a corrupt row falls back to history.
@Suite(.enabled(if: TestDatabase.isConfigured))
struct ForecastFeaturePersistenceIntegrationTests {
    @Test func restart_loadsStoredFeatures_insteadOfRefoldingHistory() async throws {
        nonisolated(unsafe) var config = GatewayConfiguration()
        try await GatewayHarness.with(regions: ["bj"], packages: 12, configure: { config = $0 }) { gw in
            let pool = gw.db.store.pool
            // Ten days of hourly history before what the first poll stored; only explicit refreshes poll from now on.
            _ = try await pool.query("""
                INSERT INTO snapshots (package_pk, observed_at, used_bytes, capacity_bytes, status)
                SELECT p.id, p.last_seen_at - k * interval '1 hour', p.used_bytes * (240 - k) / 240, p.capacity_bytes, 'active'
                FROM packages p CROSS JOIN generate_series(1, 240) k
                WHERE p.status = 'active' AND p.last_seen_at - k * interval '1 hour' >= coalesce(p.activated_at, p.created_at)
                ON CONFLICT DO NOTHING
                """)
            _ = try await pool.query("UPDATE sources SET next_poll_at = now() + interval '1 day'")
            #expect(try await pool.query("SELECT count(*) FROM forecast_features").first?.decode(Int.self, at: 0) == 0)

            // Replica B builds its features from the history at its start, then writes them with its next poll.
            let b = try Gateway.make(configuration: config, clock: ContinuousClock(), logger: .disabled)
            let runningB = try await b.start(migrate: false)
            let client = HTTPClient()
            func refresh(_ port: Int) async throws -> Int {
                try await client.execute(HTTPClientRequest(
                    method: "POST", url: "http://127.0.0.1:\(port)/v1/refresh", headers: [(name: "Authorization", value: "Bearer \(gw.keys["write"]!)")],
                    body: [], totalTimeout: .seconds(60))).status
            }
            let known = b.forecastFeatures.count
            let built = b.forecastFeatures.stats
            #expect(known > 0 && built.builtFromHistory == known && built.loaded == 0, "\(built)")
            #expect(try await refresh(runningB.port) == 200)
            #expect(b.forecastFeatures.stats.written == known)
            let rows = try await pool.query("SELECT count(*), min(format) FROM forecast_features")
            #expect(try rows.first?.decode(Int.self, at: 0) == known)
            #expect(try rows.first?.decode(Int.self, at: 1) == Int(ForecastFeatures.Codec.version))
            let keys = b.views.current.segments.flatMap(\.packages).filter { b.forecastFeatures.features(for: $0.key) != nil }.map(\.key)
            #expect(keys.count == known)
            let before = Dictionary(uniqueKeysWithValues: keys.map { ($0, b.forecastFeatures.features(for: $0)!) })
            #expect(before.values.contains { $0.historyHours >= 200 }, "B's features rest on the stored history")
            // A long id list reads the whole source and keeps the wanted rows: the same answer as a short one.
            let source = try #require(keys.first?.source)
            let few = try await gw.db.store.storedForecastFeatures(source: source, ids: keys.map(\.id))
            let many = try await gw.db.store.storedForecastFeatures(
                source: source, ids: Array(keys.map(\.id).dropFirst()) + (0..<1500).map { "absent-\($0)" })
            #expect(few.count == known && many.count == known - 1)
            #expect(many.allSatisfy { few[$0.key] == $0.value })
            await runningB.stop()
            await b.shutdown()

            // Replica C: its first view loads every package's stored features; nothing is refolded.
            let c = try Gateway.make(configuration: config, clock: ContinuousClock(), logger: .disabled)
            let runningC = try await c.start(migrate: false)
            let loaded = c.forecastFeatures.stats
            #expect(loaded.loaded == known && loaded.builtFromHistory == 0 && loaded.corrupt == 0 && loaded.caughtUp == 0, "\(loaded)")
            // Bit for bit (unknown hours are NaN, which `==` never equals): the same stored form.
            for key in keys {
                #expect(c.forecastFeatures.features(for: key).map(ForecastFeatures.Codec.encode) == before[key].map(ForecastFeatures.Codec.encode), "\(key)")
            }
            await runningC.stop()
            await c.shutdown()

            // A corrupt row (and one of another format) are rebuilt from history, never trusted or trapped on.
            _ = try await pool.query("""
                UPDATE forecast_features SET data = overlay(data placing '\\xdeadbeef'::bytea from 40)
                WHERE package_pk = (SELECT min(package_pk) FROM forecast_features)
                """)
            _ = try await pool.query("""
                UPDATE forecast_features SET data = overlay(data placing '\\x6300'::bytea from 5)
                WHERE package_pk = (SELECT max(package_pk) FROM forecast_features)
                """)
            let d = try Gateway.make(configuration: config, clock: ContinuousClock(), logger: .disabled)
            let runningD = try await d.start(migrate: false)
            let fallback = d.forecastFeatures.stats
            #expect(fallback.corrupt == 1 && fallback.outdated == 1 && fallback.builtFromHistory == 2 && fallback.loaded == known - 2, "\(fallback)")
            for key in keys { #expect(d.forecastFeatures.features(for: key) != nil) }
            await runningD.stop()
            await d.shutdown()
            await client.shutdown()
        }
    }
}
