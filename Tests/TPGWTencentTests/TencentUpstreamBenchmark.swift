import Foundation
import Testing
import TPGWCore
import TPGWHTTPClient
@testable import TPGWTencent
@testable import tencent_sim
#if canImport(Glibc)
import Glibc
#endif

/// The Tencent fan-out benchmark beside Baidu's (bench/upstream/tencent-fanout.sh): 30 sources x 2,500 packages,
/// 100 ms added to every answer, read the way the poller reads them (every source at once, each walked page by page
/// with `listPackages`). Target as for Baidu: the fan-out takes at most 1.3x the slowest single source.
///
/// Every Tencent source goes to one domain (the region is a header), so every read shares one host's connections:
/// the client must allow one connection per source (`TencentClient.connectionsPerHost`), as the gateway does.
/// Skipped unless TPGW_BENCH_TENCENT_FANOUT is set.
@Suite struct TencentUpstreamBenchmark {
    static let enabled = ProcessInfo.processInfo.environment["TPGW_BENCH_TENCENT_FANOUT"] != nil

    @Test(.enabled(if: enabled))
    func fanOut_overThirtySources() async throws {
        let env = ProcessInfo.processInfo.environment
        let sources = Int(env["TPGW_BENCH_SOURCES"] ?? "") ?? 30
        let packages = Int(env["TPGW_BENCH_PACKAGES"] ?? "") ?? 2500
        let regions = (1...sources).map { String(format: "s%02d", $0) }
        let secretID = "AKIDbenchTencentFanOut0000000000000000", secretKey = "bench-tencent-fan-out-secret"
        let sim = try await TencentSimServer.start(regions: regions, secretID: secretID, secretKey: secretKey, packagesPerRegion: packages, seed: 11)
        defer { Task { await sim.stop() } }
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
            #expect(inventory.packages.count + inventory.skipped.count == packages)
        }
        let (slowest, slowestRegion) = singles.max { $0.0 < $1.0 }!
        let median = singles.map(\.0).sorted()[singles.count / 2]
        let rounds = 5
        let cpu0 = Self.processCPU()
        var walls: [Duration] = []
        var total = 0
        for _ in 0..<rounds {
            let (wall, n) = try await fanOut()
            walls.append(wall)
            total = n
        }
        let cpuPerFanOut = (Self.processCPU() - cpu0) / Double(rounds)
        await http.shutdown()
        let wall = walls.sorted()[rounds / 2]
        let ratio = Self.seconds(wall) / Self.seconds(slowest)
        let result = """
            {"provider":"tencent","sources":\(sources),"packagesPerSource":\(packages),"pageLimit":\(client.configuration.pageLimit),\
            "fanOutWallSeconds":\(Self.seconds(wall)),"fanOutRuns":[\(walls.map { "\(Self.seconds($0))" }.joined(separator: ","))],\
            "slowestSingleSeconds":\(Self.seconds(slowest)),"slowestRegion":"\(slowestRegion)","medianSingleSeconds":\(Self.seconds(median)),\
            "ratio":\(ratio),"processCPUPerFanOutSeconds":\(cpuPerFanOut),"connectionsPerHost":\(TencentClient.connectionsPerHost)}
            """
        print("TENCENT-FANOUT-BENCH " + result)
        if let out = env["TPGW_BENCH_OUT"] { try result.write(toFile: out, atomically: true, encoding: .utf8) }
        #expect(total == sources * packages)
        #expect(ratio <= 1.3)
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    static func processCPU() -> Double {
        var ru = rusage()
        getrusage(RUSAGE_SELF.rawValue, &ru)
        return Double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + Double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6
    }
}
