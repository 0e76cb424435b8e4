import Foundation
import TPGWCore
import TPGWHTTPClient
import TPGWTencent
import tencent_sim

/// `tpgw-bench tencent-fanout` (bench/upstream/tencent-fanout.sh): the Tencent fan-out beside Baidu's. 30 sources x
/// 2,500 packages (`TPGW_BENCH_SOURCES`, `TPGW_BENCH_PACKAGES`), 100 ms added to every answer, read the way the poller
/// reads them (every source at once, each walked page by page with `listPackages`). Target as for Baidu: the fan-out
/// takes at most 1.3x the slowest single source.
///
/// Every Tencent source goes to one domain (the region is a header), so every read shares one host's connections:
/// the client must allow one connection per source (`TencentClient.connectionsPerHost`), as the gateway does.
enum TencentFanOutBenchmark {
    static func run(_ env: [String: String]) async throws {
        let sources = Int(env["TPGW_BENCH_SOURCES"] ?? "") ?? 30
        let packages = Int(env["TPGW_BENCH_PACKAGES"] ?? "") ?? 2500
        let regions = (1...sources).map { String(format: "s%02d", $0) }
        let secretID = "AKIDbenchTencentFanOut0000000000000000", secretKey = "bench-tencent-fan-out-secret"
        let sim = try await TencentSimServer.start(regions: regions, secretID: secretID, secretKey: secretKey, packagesPerRegion: packages, seed: 11)
        var latency = TencentSimFault()
        latency.latencyMs = 100
        for r in regions { sim.setFault(region: r, latency) }
        let http = HTTPClient(configuration: .init(maxConnectionsPerHost: TencentClient.connectionsPerHost))
        let client = TencentClient(httpClient: http)
        let creds = TencentCredentials(secretID: secretID, secretKey: secretKey)
        let endpoints = regions.map { TencentEndpoint(account: "bench", region: $0, credentials: creds, baseURL: sim.baseURL) }

        func fanOut() async throws -> (Duration, Int) {
            let start = ContinuousClock.now
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for e in endpoints { group.addTask { try await client.listPackages(e).packages.count } }
                return try await group.reduce(0, +)
            }
            return (ContinuousClock.now - start, total)
        }

        _ = try await fanOut()  // warm up connections
        var singles: [(Duration, String)] = []
        for e in endpoints {
            let start = ContinuousClock.now
            let inventory = try await client.listPackages(e)
            singles.append((ContinuousClock.now - start, e.region))
            try Bench.check(inventory.packages.count + inventory.skipped.count == packages, "\(e.region): listed a wrong count")
        }
        let (slowest, slowestRegion) = singles.max { $0.0 < $1.0 }!
        let median = singles.map(\.0).sorted()[singles.count / 2]
        let rounds = 5
        let cpu0 = BenchProcess.processCPU()
        var walls: [Duration] = []
        var total = 0
        for _ in 0..<rounds {
            let (wall, n) = try await fanOut()
            walls.append(wall)
            total = n
        }
        let cpuPerFanOut = (BenchProcess.processCPU() - cpu0) / Double(rounds)
        await http.shutdown()
        await sim.stop()
        let seconds = BenchProcess.seconds
        let wall = walls.sorted()[rounds / 2]
        let ratio = seconds(wall) / seconds(slowest)
        let result = """
            {"provider":"tencent","sources":\(sources),"packagesPerSource":\(packages),"pageLimit":\(client.configuration.pageLimit),\
            "fanOutWallSeconds":\(seconds(wall)),"fanOutRuns":[\(walls.map { "\(seconds($0))" }.joined(separator: ","))],\
            "slowestSingleSeconds":\(seconds(slowest)),"slowestRegion":"\(slowestRegion)","medianSingleSeconds":\(seconds(median)),\
            "ratio":\(ratio),"processCPUPerFanOutSeconds":\(cpuPerFanOut),"connectionsPerHost":\(TencentClient.connectionsPerHost)}
            """
        print("TENCENT-FANOUT-BENCH " + result)
        if let out = env["TPGW_BENCH_OUT"] { try result.write(toFile: out, atomically: true, encoding: .utf8) }
        try Bench.check(total == sources * packages, "fan-out read \(total) of \(sources * packages)")
        try Bench.check(ratio <= 1.3, "fan-out took \(ratio)x the slowest single source (at most 1.3)")
    }
}
