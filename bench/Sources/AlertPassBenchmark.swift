import Foundation
import TPGWCore
import TPGWGateway

/// `tpgw-bench alert-pass`: the alert engine's pure step per pass in the shape of the alerts benchmark's trickle (one
/// budget with one `usedRatio` rule, `TPGW_BENCH_PACKAGES` packages (default 10,000) already firing, one new package
/// per pass), without the database: `AlertPass.run` then `AlertMuting.apply`, as `AlertEngine` calls them. This is the
/// part of the trickle's engine pass that grows with the number of firing alerts.
enum AlertPassBenchmark {
    static func run(_ env: [String: String]) async throws {
        let n = env["TPGW_BENCH_PACKAGES"].flatMap(Int.init) ?? 10_000
        let passes = env["TPGW_BENCH_PASSES"].flatMap(Int.init) ?? 100
        let gib: Int64 = 1 << 30
        var now = Date(timeIntervalSince1970: 1_795_334_400)  // 2026-11-22T08:00:00Z
        var budget = try Budget.decodeValidated(from: Data(#"{"name": "bench", "rules": [{"kind": "usedRatio", "thresholds": [0.8]}], "channels": ["chn_bench"]}"#.utf8))
        budget.id = "bgt_bench"
        func package(_ id: String) -> PackageState {
            PackageState(
                key: PackageKey(provider: "bce", account: "acct", region: "bj", id: id), policy: .fullTime, status: .active,
                capacityBytes: 100 * gib, usedBytes: 90 * gib, createdAt: now - 10 * 86400, activatedAt: now - 10 * 86400,
                expiresAt: now + 30 * 86400, observedAt: now)
        }
        // In key order, as a view lists them (the evaluator then has nothing to sort).
        var inputs = AlertInputs(packages: (0..<n).map { package("tp-\($0)") }.sorted { $0.key < $1.key })
        // The first pass fires every package; the measured passes step 10,000 firing alerts and fire one new one each.
        var existing = StoredAlerts()
        let first = AlertPass.run(budgets: [budget], inputs: inputs, existing: existing, previousStatuses: [:], now: now)
        for s in first.writes { existing.upsert(s) }
        try Bench.check(existing.count == n, "first pass fired \(existing.count) of \(n)")
        var times: [Double] = [], cpu: [Double] = []
        // Thread CPU time beside wall time: the machine is shared, and a pass has no await to change threads.
        func threadCPU() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1e6
        }
        for i in 0..<passes {
            now += 0.05
            // Ids that sort in the order they are added, as a view lists packages by key.
            inputs.packages.append(package("trickle-" + String(repeating: "0", count: 3 - String(i).count) + String(i)))
            let start = ContinuousClock.now
            let cpuStart = threadCPU()
            var out = AlertPass.run(budgets: [budget], inputs: inputs, existing: existing, previousStatuses: [:], now: now)
            AlertMuting.apply(&out, existing: existing, budgets: [budget.id: budget], silences: [], now: now)
            times.append(Bench.ms(ContinuousClock.now - start))
            cpu.append(threadCPU() - cpuStart)
            try Bench.check(out.writes.count == 1, "pass \(i): \(out.writes.count) writes")
            for s in out.writes { existing.upsert(s) }
        }
        func q(_ values: [Double], _ p: Double) -> String {
            let sorted = values.sorted()
            return String(format: "%.2f", sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))])
        }
        Bench.report("alert_pass_\(n)_firing_ms_p50_p99_max", "\(q(times, 0.5)) / \(q(times, 0.99)) / \(q(times, 1))")
        Bench.report("alert_pass_\(n)_firing_thread_cpu_ms_p50_p99_max", "\(q(cpu, 0.5)) / \(q(cpu, 0.99)) / \(q(cpu, 1))")
    }
}
