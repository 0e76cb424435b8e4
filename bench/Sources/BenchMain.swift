import Foundation

/// `tpgw-bench <benchmark>`: the benchmarks that used to be test functions behind TPGW_BENCH_* flags, as an ordinary
/// release executable over the libraries' `package` API (no `-enable-testing` build). Each prints `BENCH name=value`
/// lines; `bench/*/run.sh` run them.
@main
enum BenchMain {
    static let benchmarks: [String: (String, @Sendable ([String: String]) async throws -> Void)] = [
        "api-render": ("uncached view rebuild and rendering over the database bench/api/run.sh filled (TPGW_CONFIG)", APIRenderBenchmark.run),
        "alert-evaluator": ("one budget's 8 rules over TPGW_BENCH_PACKAGES (100,000) packages in 30 sources, pure", AlertEvaluatorBenchmark.run),
        "alert-pass": ("the alert engine's pure step over TPGW_BENCH_PACKAGES (10,000) firing alerts, one new per pass (the trickle's shape)", AlertPassBenchmark.run),
        "alerts": ("50 budgets over 100k packages, 10,000 deliveries dispatched, 25,000 alerts grouped (bench/alerts)", AlertsBenchmark.run),
        "store": ("one poll of 20 sources x 5,000 packages vs psql \\copy, latest state of 100k, bytes per package-day (bench/store)", StoreBenchmark.run),
        "upstream-fanout": ("BCE fan-out over the bce-sim in TPGW_BENCH_SIM_PORTS, decode CPU (bench/upstream/run.sh)", UpstreamFanOutBenchmark.run),
        "tencent-fanout": ("Tencent fan-out over 30 sources x 2,500 packages at 100 ms (bench/upstream/tencent-fanout.sh)", TencentFanOutBenchmark.run),
        "tencent-decode": ("Tencent page decode CPU per 1,000 packages, list walk (bench/upstream/tencent-decode.sh)", TencentDecodeBenchmark.run),
        "ops": ("GET /metrics and GET / over a view of 100,000 packages through the real ops routes, status page parts (bench/ops)", OpsBenchmark.run),
        "forecast-cost": ("forecast features and view rebuilds at 100,000 packages with 28 days of history (no database)", ForecastCostBenchmark.run),
    ]

    static func main() async {
        let args = Array(CommandLine.arguments.dropFirst())
        guard let name = args.first, let (_, run) = benchmarks[name] else {
            var usage = "usage: tpgw-bench <benchmark>\n"
            for (name, (about, _)) in benchmarks.sorted(by: { $0.key < $1.key }) { usage += "  \(name)  \(about)\n" }
            FileHandle.standardError.write(Data(usage.utf8))
            exit(2)
        }
        do {
            try await run(ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("tpgw-bench \(name): \(error)\n".utf8))
            exit(1)
        }
    }
}

/// Bench output and timing helpers.
enum Bench {
    static func report(_ name: String, _ value: String) { print("BENCH \(name)=\(value)") }

    static func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

    /// The median of `runs` timings of `body`, in milliseconds.
    static func median(_ runs: Int, _ body: () async throws -> Void) async rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            try await body()
            times.append(ms(ContinuousClock.now - start))
        }
        return times.sorted()[runs / 2]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Fails the benchmark when `condition` does not hold.
    static func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw Failure(description: message()) }
    }
}
