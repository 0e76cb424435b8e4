import Foundation
import Testing
import TPGWCore
import TPGWHTTPClient
@testable import TPGWTencent
@testable import tencent_sim
#if canImport(Glibc)
import Glibc
#endif

/// Decode cost of `DescribeTrafficPackages` pages, beside Baidu's in bench/upstream (bench/upstream/tencent-decode.sh).
/// Skipped unless TPGW_BENCH_TENCENT_DECODE is set.
@Suite struct TencentDecodeBenchmark {
    static let enabled = ProcessInfo.processInfo.environment["TPGW_BENCH_TENCENT_DECODE"] != nil

    @Test(.enabled(if: enabled))
    func decode_pagesOf100_costPerThousandPackages() async throws {
        let packages = 2500
        let h = try await TencentSimHarness.start(packages: packages)
        // The pages exactly as tencent-sim serves them (signed requests through its handler, no network).
        var pages: [[UInt8]] = []
        let signer = TC3Signer(credentials: h.endpoint().credentials)
        for offset in stride(from: 0, to: packages, by: 100) {
            let body = TencentListFilter().jsonBody(offset: offset, limit: 100)
            let ts = Int64(Date().timeIntervalSince1970)
            let host = h.endpoint().hostHeader
            let auth = signer.authorization(method: "POST", host: host, contentType: "application/json", query: "", body: body, timestamp: ts)
            let request = TencentSimRequest(
                method: "POST", path: "/", rawQuery: "",
                headers: [("Host", host), ("Content-Type", "application/json"), ("X-TC-Action", "DescribeTrafficPackages"),
                          ("X-TC-Version", "2017-03-12"), ("X-TC-Region", TencentSimHarness.region), ("X-TC-Timestamp", String(ts)),
                          ("Authorization", auth)],
                body: body)
            let reply = h.sim.withSimulator { $0.handle(request, realNow: Date()) }
            pages.append(Array(reply.body.utf8))
        }
        let decoder = TencentWireDecoder(source: h.endpoint().source, operation: "describe")
        var decoded = 0
        for page in pages { decoded += try decoder.listPage(page).packages.count }   // warm-up
        #expect(decoded == packages)
        decoded = 0
        let rounds = 10
        let cpu0 = Self.threadCPU()
        for _ in 0..<rounds { for page in pages { decoded += try decoder.listPage(page).packages.count } }
        let msPerThousand = (Self.threadCPU() - cpu0) / Double(decoded) * 1000 * 1000
        let bytesPerPackage = Double(pages.reduce(0) { $0 + $1.count }) / Double(packages)

        // The whole client walk over loopback (25 signed pages of 100), for scale.
        var walls: [Double] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            let inventory = try await h.client.listPackages(h.endpoint())
            let d = ContinuousClock.now - start
            walls.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
            #expect(inventory.packages.count == packages)
        }
        await h.stop()
        let result = """
            {"packages":\(packages),"pageSize":100,"decodeCPUMsPer1000":\(msPerThousand),"bytesPerPackage":\(bytesPerPackage),\
            "listWalkMedianSeconds":\(walls.sorted()[walls.count / 2])}
            """
        print("TENCENT-DECODE-BENCH " + result)
        if let out = ProcessInfo.processInfo.environment["TPGW_BENCH_OUT"] { try result.write(toFile: out, atomically: true, encoding: .utf8) }
    }

    static func threadCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
