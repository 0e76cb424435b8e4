import Foundation
import Testing
import TPGWCore
@testable import tpgw

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
        let app = try Application(configuration: config, environment: env, logger: .disabled)
        let store = app.store
        let now = Date()
        var input: GatewayView.Input?
        let load = try await median(5) {
            input = try await Application.loadViewInput(store: store, configured: config.sources, now: now)
        }
        let loaded = try #require(input)
        report("packages", "\(loaded.packages.count)")
        report("db_load_ms_median5", String(format: "%.1f", load))
        var view: GatewayView?
        let build = await median(5) { view = GatewayView.build(loaded, now: now) }
        report("view_build_ms_median5 (forecasts, pools, 6 sort orders, 4 summaries, 8 first pages)", String(format: "%.1f", build))
        let built = try #require(view)
        let summary = await median(9) { _ = built.renderSummary(groupBy: .region) }
        report("render_summary_region_ms_median9", String(format: "%.2f", summary))
        let page = await median(9) { _ = built.renderList(PackageQuery(sort: .expiresAt, descending: false, limit: 100)) }
        report("render_first_100_ms_median9", String(format: "%.2f", page))
        let full = try await median(3) { try await app.views.rebuild() }
        report("full_rebuild_ms_median3 (db load + build)", String(format: "%.1f", full))
        await app.shutdown()
    }
}
