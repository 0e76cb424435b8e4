import Foundation
import TPGWCore
import TPGWGateway

/// `tpgw-bench forecast-cost`: the cost of the probabilistic forecasts in the view at 100,000 packages (20 sources x
/// 5,000) whose features hold 28 days of history, without a database (what PostgreSQL adds is the API benchmark's
/// "read the source"): a per-source rebuild (fold every package's latest state, forecasts, pool quantiles, sort orders),
/// a full rebuild, the RSS the features and the view take, and what building one package's features from 28 days of
/// hourly rows costs (a start, or a new package).
/// Env: TPGW_BENCH_SOURCES (20), TPGW_BENCH_PER_SOURCE (5000); TPGW_BENCH_FEATURES=0 builds the same view with no
/// features at all (every package on its lifetime average): the RSS baseline the features are compared with;
/// TPGW_BENCH_SEQUENTIAL=1 builds segments on the calling task (not over cores); TPGW_BENCH_TRIM=1 calls
/// `malloc_trim(0)` after every rebuild (inside the timed part).
enum ForecastCostBenchmark {
    static func rssBytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return .nan }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// CPU time of the process so far (user + system), seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }

    /// The segments of `input`, spread over cores (as the view store builds them) or, with TPGW_BENCH_SEQUENTIAL=1,
    /// on the calling task.
    static func segments(_ input: GatewayView.Input, only: Set<SourceID>? = nil, previous: GatewayView?, now: Date, sequential: Bool) async -> [ViewSegment] {
        sequential
            ? GatewayView.segments(input, only: only, previous: previous, now: now)
            : await GatewayView.segmentsConcurrently(input, only: only, previous: previous, now: now)
    }

    /// glibc's `malloc_trim(0)` (freed memory of every arena back to the system), looked up at run time; a no-op elsewhere.
    static func trimMalloc() {
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        typealias Trim = @convention(c) (Int) -> Int32
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }

    static func run(_ env: [String: String]) async throws {
        // TPGW_BENCH_TRIM=1: trim after every rebuild (a diagnostic: how much of the RSS is freed memory kept by arenas).
        let trim = env["TPGW_BENCH_TRIM"] == "1"
        Bench.report("trim_after_rebuilds", "\(trim)")
        let sequential = env["TPGW_BENCH_SEQUENTIAL"] == "1"
        Bench.report("sequential", "\(sequential)")
        let sourceCount = Int(env["TPGW_BENCH_SOURCES"] ?? "") ?? 20
        let perSource = Int(env["TPGW_BENCH_PER_SOURCE"] ?? "") ?? 5000
        let hours = 28 * 24
        let rssStart = rssBytes()

        // Templates: 20 packages of every synthetic family, features folded over 28 days of hourly history.
        let families = SyntheticFamily.allCases
        var templates: [(features: ForecastFeatures, used: Int64, rate: Int64, policy: PackagePolicy)] = []
        // Every template's history ends at the same instant (a live view folds each package poll by poll).
        let end = SyntheticWorkload.epoch.addingTimeInterval(Double(hours + 168) * 3600 + 1800)
        let bootstrapStart = ContinuousClock.now
        for family in families {
            for s in SyntheticWorkload.series(family, count: 20, seed: 20261202) {
                var f = ForecastFeatures()
                for i in 0..<hours { f.update(observedUsedBytes: s.usedBytes[i], at: end.addingTimeInterval(-Double(hours - 1 - i) * 3600)) }
                let used = s.usedBytes[hours - 1]
                templates.append((f, used, max(1, used / Int64(hours)), s.policy))
            }
        }
        let bootstrapMs = Bench.ms(ContinuousClock.now - bootstrapStart) / Double(templates.count)
        Bench.report("bootstrap_one_package_28d_hourly_ms", String(format: "%.2f", bootstrapMs))
        Bench.report("bootstrap_extrapolated_100k_s", String(format: "%.0f", bootstrapMs * 100_000 / 1000))

        // 100,000 packages, each with its own copy of a template's features.
        // One poll after the history (every later rebuild is one more minute: 1 in 60 closes an hour).
        var now = end.addingTimeInterval(60)
        var packages: [PackageState] = []
        var seeded: [PackageKey: ForecastFeatures] = [:]
        packages.reserveCapacity(sourceCount * perSource)
        for s in 0..<sourceCount {
            for i in 0..<perSource {
                let t = templates[(s * perSource + i) % templates.count]
                let key = PackageKey(provider: "bce", account: "prod", region: "r\(s)", id: "tp-\(i)")
                packages.append(PackageState(
                    key: key, policy: t.policy, status: .active, capacityBytes: t.used * 3, usedBytes: t.used + t.rate,
                    createdAt: now.addingTimeInterval(-29 * 86400), activatedAt: now.addingTimeInterval(-29 * 86400),
                    expiresAt: now.addingTimeInterval(60 * 86400), observedAt: now))
                seeded[key] = t.features
            }
        }
        let withFeatures = env["TPGW_BENCH_FEATURES"] != "0"
        Bench.report("with_features", "\(withFeatures)")
        let store = ForecastFeatureStore(read: { _, _ in [:] })
        if withFeatures { store.seed(seeded) }
        seeded = [:]
        let sources = Set(packages.map(\.key.source))
        let rules: [SourceID: PoolRules] = [:]
        let rssBefore = rssBytes()

        // Full rebuild: fold every package's latest state, every segment (median of 3; each run one poll later), first
        // with every forecast made (a start, or every package closing an hour), then reusing the previous view's
        // forecasts where `ForecastReuse` admits (a full rebuild a minute after another).
        var view: GatewayView?
        for reuse in [false, true] {
            let cpuStart = cpuSeconds()
            let full = try await Bench.median(3) {
                now = now.addingTimeInterval(60)
                for i in packages.indices {
                    packages[i].observedAt = now
                    packages[i].usedBytes = packages[i].usedBytes.saturatingAdding(templates[i % templates.count].rate / 60)
                }
                let features = withFeatures ? try await store.refresh(packages: packages, sources: nil, now: now) : [:]
                let input = GatewayView.Input(packages: packages, features: features, sources: [], rules: rules)
                view = GatewayView.assemble(
                    segments: await segments(input, previous: reuse ? view : nil, now: now, sequential: sequential), sources: [], now: now)
                if trim { trimMalloc() }
            }
            Bench.report(
                "full_rebuild_cpu_ms_mean3_\(reuse ? "reusing_forecasts" : "every_forecast")", String(format: "%.1f", (cpuSeconds() - cpuStart) * 1000 / 3))
            Bench.report("full_rebuild_\(packages.count)_ms_median3_\(reuse ? "reusing_forecasts" : "every_forecast")", String(format: "%.1f", full))
        }
        let rssAfter = rssBytes()
        Bench.report("features_count", "\(store.count)")
        Bench.report("rss_start_mb", String(format: "%.1f", rssStart / 1e6))
        // Everything since the start: the features (each its own buffer after a fold), the view, and the inputs
        // (package states, kept here like the view keeps them); an upper bound of what the view adds.
        Bench.report("rss_growth_features_view_and_inputs_mb", String(format: "%.1f", (rssAfter - rssStart) / 1e6))
        Bench.report("rss_after_mb", String(format: "%.1f", rssAfter / 1e6))
        let built = try unwrap(view)
        try Bench.check(built.packageCount == packages.count, "the view lost packages")

        // Per source: one source's 5,000 packages polled again (median of 21, rotating sources).
        let sorted = sources.sorted()
        var bySource: [SourceID: [Int]] = [:]
        for (i, p) in packages.enumerated() { bySource[p.key.source, default: []].append(i) }
        var round = 0
        var current = built
        var slowest = 0.0
        var folds: [Double] = []
        var written = 0
        var rebuilds: [Double] = []
        var cpu: [Double] = []
        for _ in 0..<61 {
            let source = sorted[round % sorted.count]
            round += 1
            now = now.addingTimeInterval(60)
            var mine: [PackageState] = []
            mine.reserveCapacity(perSource)
            for i in bySource[source]! {
                packages[i].observedAt = now
                packages[i].usedBytes = packages[i].usedBytes.saturatingAdding(templates[i % templates.count].rate / 60)
                mine.append(packages[i])
            }
            // What the poller does before its write (fold, encode the rows that closed an hour), outside the rebuild's time.
            if withFeatures {
                let foldStart = ContinuousClock.now
                let folded = store.foldPoll(source: source, packages: mine)
                store.commit(folded)
                written += folded.rows.count
                folds.append(Bench.ms(ContinuousClock.now - foldStart))
            }
            let started = ContinuousClock.now
            let cpuStart = cpuSeconds()
            let features = withFeatures ? try await store.refresh(packages: mine, sources: [source], now: now) : [:]
            let input = GatewayView.Input(packages: mine, features: features, sources: [], rules: rules)
            current = current.replacing(
                await segments(input, only: [source], previous: current, now: now, sequential: sequential), sources: [], now: now)
            if trim { trimMalloc() }
            let ms = Bench.ms(ContinuousClock.now - started)
            cpu.append((cpuSeconds() - cpuStart) * 1000)
            rebuilds.append(ms)
            slowest = max(slowest, ms)
        }
        let one = rebuilds.sorted()[rebuilds.count / 2]
        // CPU time (every thread of the process) of the same rebuilds: the work, whatever else the machine runs.
        Bench.report("per_source_rebuild_\(perSource)_cpu_ms_median61", String(format: "%.1f", cpu.sorted()[cpu.count / 2]))
        Bench.report("per_source_rebuild_\(perSource)_cpu_ms_max61", String(format: "%.1f", cpu.max() ?? 0))
        Bench.report("per_source_rebuild_\(perSource)_ms_median61", String(format: "%.1f", one))
        if !folds.isEmpty {
            folds.sort()
            Bench.report("poll_fold_\(perSource)_ms_median61", String(format: "%.1f", folds[folds.count / 2]))
            Bench.report("poll_fold_\(perSource)_ms_max61", String(format: "%.1f", folds.last!))
            Bench.report("poll_feature_rows_written_61_polls", "\(written)")
        }
        // Polls a minute apart: the first poll of each hour also closes an hour of every package (profile, noise,
        // change-point test), the slowest of the 61.
        Bench.report("per_source_rebuild_\(perSource)_ms_max61_hour_closing", String(format: "%.1f", slowest))
        try Bench.check(current.packageCount == packages.count, "the view lost packages")
        Bench.report("rss_end_mb", String(format: "%.1f", rssBytes() / 1e6))

        // A start with stored features: decoding (and validating) one stored record per package instead of folding 28
        // days of rows (the database read is extra).
        if withFeatures {
            let records = templates.map { ForecastFeatures.Codec.encode($0.features) }
            let decodeStart = ContinuousClock.now
            var decoded = 0
            for i in 0..<10_000 { if case .success = ForecastFeatures.Codec.decode(records[i % records.count]) { decoded += 1 } }
            let us = Bench.ms(ContinuousClock.now - decodeStart) * 1000 / 10_000
            try Bench.check(decoded == 10_000, "stored features did not decode")
            Bench.report("stored_record_bytes", "\(records[0].count)")
            Bench.report("decode_one_stored_record_us", String(format: "%.1f", us))
            Bench.report("decode_extrapolated_100k_s", String(format: "%.2f", us * 100_000 / 1e6))
        }
    }

    static func unwrap<T>(_ value: T?) throws -> T {
        guard let value else { throw Bench.Failure(description: "no value") }
        return value
    }
}
