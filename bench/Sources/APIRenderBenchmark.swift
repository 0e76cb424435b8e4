import Foundation
import TPGWCore
import TPGWGateway
import TPGWStore

/// `bench/api/run.sh` runs this against the database it filled (100,000 packages) and `TPGW_CONFIG`: the uncached
/// cost of the view (load, build, per-change rebuild) and of rendering the summary and the first page.
enum APIRenderBenchmark {
    static func unwrap<T>(_ value: T?) throws -> T {
        guard let value else { throw Bench.Failure(description: "no value") }
        return value
    }

    static func run(_ env: [String: String]) async throws {
        var config = try GatewayConfiguration.load(path: env["TPGW_CONFIG"], environment: env)
        config.databaseURL = env["TPGW_TEST_DATABASE_URL"] ?? config.databaseURL
        let app = try Gateway.make(configuration: config, clock: ContinuousClock(), logger: .disabled)
        let store = app.store
        let now = Date()

        // Cold: everything from the database (a start, or most sources changed at once).
        var input: GatewayView.Input?
        let load = try await Bench.median(5) {
            input = try await Application.loadViewInput(store: store, features: app.forecastFeatures, configured: config.sources, now: now)
        }
        let loaded = try unwrap(input)
        Bench.report("packages", "\(loaded.packages.count)")
        Bench.report("sources", "\(loaded.sources.count)")
        Bench.report("cold_db_load_all_ms_median5", String(format: "%.1f", load))
        var view: GatewayView?
        let build = await Bench.median(5) { view = GatewayView.build(loaded, now: now) }
        Bench.report("cold_view_build_all_ms_median5", String(format: "%.1f", build))
        let built = try unwrap(view)
        let full = try await Bench.median(3) { try await app.views.rebuild() }
        Bench.report("cold_full_rebuild_ms_median3", String(format: "%.1f", full))

        // Per change: a poll or purchase of one source. Its packages and forecast baselines come from the
        // database, its segment is rebuilt, and the summaries and first page are rendered again over all
        // 100,000 packages; measured end to end (what `ViewStore` does after `invalidate(source:)`).
        let sources = built.segments.map(\.source)
        var round = 0
        let change = try await Bench.median(21) {
            let source = sources[round % sources.count]
            round += 1
            try await app.views.rebuild(sources: [source])
        }
        Bench.report("per_change_rebuild_one_source_ms_median21 (db load + segment + 4 summaries + first page, of 100k)", String(format: "%.1f", change))
        let current = app.views.current
        try Bench.check(current.packageCount == loaded.packages.count, "the view lost packages")

        // Its parts.
        round = 0
        var one: GatewayView.Input?
        let loadOne = try await Bench.median(21) {
            let source = sources[round % sources.count]
            round += 1
            one = try await Application.loadViewInput(store: store, features: app.forecastFeatures, configured: config.sources, sources: [source], now: now)
        }
        Bench.report("per_change_db_load_one_source_ms_median21", String(format: "%.1f", loadOne))
        let firstSource = sources[0]
        let q1 = try await Bench.median(9) { _ = try await store.latestPackages(source: firstSource) }
        Bench.report("  latest_packages_one_source_ms_median9", String(format: "%.1f", q1))
        let raw = try await Bench.median(9) {
            _ = try await store.pool.query("""
                SELECT p.provider, p.account, p.region, p.package_id, p.policy, p.line_type, p.status, p.capacity_bytes, p.used_bytes,
                       p.created_at, p.activated_at, p.expires_at, coalesce(p.released_at, greatest(s.last_success_at, p.last_seen_at))
                FROM packages p JOIN sources s ON s.id = p.source_id
                WHERE s.provider = \(firstSource.provider) AND s.account = \(firstSource.account) AND s.region = \(firstSource.region)
                """, idempotent: true)
        }
        Bench.report("  latest_packages_one_source_query_only_ms_median9", String(format: "%.1f", raw))
        let q3 = try await Bench.median(9) { _ = try await store.sources() }
        Bench.report("  source_health_ms_median9", String(format: "%.1f", q3))
        let oneInput = try unwrap(one)
        let oneSource = try unwrap(oneInput.packages.first?.key.source)
        var segments: [ViewSegment] = []
        let segment = await Bench.median(9) { segments = GatewayView.segments(oneInput, only: [oneSource], now: now) }
        Bench.report("per_change_segment_build_ms_median9 (\(oneInput.packages.count) packages)", String(format: "%.1f", segment))
        let assemble = await Bench.median(9) { _ = current.replacing(segments, sources: oneInput.sources, now: now) }
        Bench.report("per_change_assemble_ms_median9 (merge + 4 summaries + first page)", String(format: "%.2f", assemble))
        let summary = await Bench.median(9) { _ = current.renderSummary(groupBy: .region) }
        Bench.report("render_summary_region_ms_median9", String(format: "%.2f", summary))
        let page = await Bench.median(9) { _ = current.renderList(PackageQuery(selecting: nil, sort: .expiresAt, descending: false, limit: 100)) }
        Bench.report("render_first_100_ms_median9", String(format: "%.2f", page))
        let deep = await Bench.median(9) { _ = current.renderList(PackageQuery(selecting: .active, sort: .remainingBytes, descending: true, limit: 100)) }
        Bench.report("render_filtered_100_ms_median9", String(format: "%.2f", deep))
        await app.shutdown()
    }
}
