import Foundation
import Testing
import TPGWCore
import TPGWStore
@testable import TPGWGateway

/// `bench/api/run.sh` runs this with `TPGW_BENCH_API=1` against the database it filled (100,000 packages) and
/// `TPGW_CONFIG`; it prints `BENCH name=value` lines: the uncached cost of the summary and first page.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["TPGW_BENCH_API"] == "1"))
struct APIRenderBenchmark {
    private func report(_ name: String, _ value: String) { print("BENCH \(name)=\(value)") }

    private func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

    private func median(_ runs: Int, _ body: () async throws -> Void) async rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            try await body()
            times.append(ms(ContinuousClock.now - start))
        }
        return times.sorted()[runs / 2]
    }

    @Test func uncachedSummaryAndFirstPage_at100kPackages() async throws {
        let env = ProcessInfo.processInfo.environment
        var config = try GatewayConfiguration.load(path: env["TPGW_CONFIG"], environment: env)
        config.databaseURL = env["TPGW_TEST_DATABASE_URL"] ?? config.databaseURL
        let app = try Gateway.make(configuration: config, clock: ContinuousClock(), logger: .disabled)
        let store = app.store
        let now = Date()

        // Cold: everything from the database (a start, or most sources changed at once).
        var input: GatewayView.Input?
        let load = try await median(5) {
            input = try await Application.loadViewInput(store: store, configured: config.sources, now: now)
        }
        let loaded = try #require(input)
        report("packages", "\(loaded.packages.count)")
        report("sources", "\(loaded.sources.count)")
        report("cold_db_load_all_ms_median5", String(format: "%.1f", load))
        var view: GatewayView?
        let build = await median(5) { view = GatewayView.build(loaded, now: now) }
        report("cold_view_build_all_ms_median5", String(format: "%.1f", build))
        let built = try #require(view)
        let full = try await median(3) { try await app.views.rebuild() }
        report("cold_full_rebuild_ms_median3", String(format: "%.1f", full))

        // Per change: a poll or purchase of one source. Its packages and forecast baselines come from the
        // database, its segment is rebuilt, and the summaries and first page are rendered again over all
        // 100,000 packages; measured end to end (what `ViewStore` does after `invalidate(source:)`).
        let sources = built.segments.map(\.source)
        var round = 0
        let change = try await median(21) {
            let source = sources[round % sources.count]
            round += 1
            try await app.views.rebuild(sources: [source])
        }
        report("per_change_rebuild_one_source_ms_median21 (db load + segment + 4 summaries + first page, of 100k)", String(format: "%.1f", change))
        let current = app.views.current
        #expect(current.packageCount == loaded.packages.count)

        // Its parts.
        round = 0
        var one: GatewayView.Input?
        let loadOne = try await median(21) {
            let source = sources[round % sources.count]
            round += 1
            one = try await Application.loadViewInput(store: store, configured: config.sources, sources: [source], now: now)
        }
        report("per_change_db_load_one_source_ms_median21", String(format: "%.1f", loadOne))
        let firstSource = sources[0]
        let q1 = try await median(9) { _ = try await store.latestPackages(source: firstSource) }
        report("  latest_packages_one_source_ms_median9", String(format: "%.1f", q1))
        let q2 = try await median(9) { _ = try await store.forecastBaselines(now: now, source: firstSource) }
        report("  forecast_baselines_one_source_ms_median9", String(format: "%.1f", q2))
        let raw = try await median(9) {
            _ = try await store.pool.query("""
                SELECT p.provider, p.account, p.region, p.package_id, p.policy, p.line_type, p.status, p.capacity_bytes, p.used_bytes,
                       p.created_at, p.activated_at, p.expires_at, coalesce(p.released_at, greatest(s.last_success_at, p.last_seen_at))
                FROM packages p JOIN sources s ON s.id = p.source_id
                WHERE s.provider = \(firstSource.provider) AND s.account = \(firstSource.account) AND s.region = \(firstSource.region)
                """, idempotent: true)
        }
        report("  latest_packages_one_source_query_only_ms_median9", String(format: "%.1f", raw))
        let q3 = try await median(9) { _ = try await store.sources() }
        report("  source_health_ms_median9", String(format: "%.1f", q3))
        let oneInput = try #require(one)
        let oneSource = try #require(oneInput.packages.first?.key.source)
        var segments: [ViewSegment] = []
        let segment = await median(9) { segments = GatewayView.segments(oneInput, only: [oneSource], now: now) }
        report("per_change_segment_build_ms_median9 (\(oneInput.packages.count) packages)", String(format: "%.1f", segment))
        let assemble = await median(9) { _ = current.replacing(segments, sources: oneInput.sources, now: now) }
        report("per_change_assemble_ms_median9 (merge + 4 summaries + first page)", String(format: "%.2f", assemble))
        let summary = await median(9) { _ = current.renderSummary(groupBy: .region) }
        report("render_summary_region_ms_median9", String(format: "%.2f", summary))
        let page = await median(9) { _ = current.renderList(PackageQuery(sort: .expiresAt, descending: false, limit: 100)) }
        report("render_first_100_ms_median9", String(format: "%.2f", page))
        let deep = await median(9) { _ = current.renderList(PackageQuery(status: .active, sort: .remainingBytes, descending: true, limit: 100)) }
        report("render_filtered_100_ms_median9", String(format: "%.2f", deep))
        await app.shutdown()
    }
}
