import Foundation
import TPGWCore
import TPGWHTTPClient
import TPGWTencent
import tencent_sim

/// `tpgw-bench tencent-decode` (bench/upstream/tencent-decode.sh): decode cost of `DescribeTrafficPackages` pages,
/// beside Baidu's in `upstream-fanout`. Prints `TENCENT-DECODE-BENCH {json}` and writes it to `TPGW_BENCH_OUT`.
enum TencentDecodeBenchmark {
    static let secretID = "AKIDtpgwTest000000000000000000000000"
    static let secretKey = "tpgw-test-secret-key-000000000000"
    static let region = "ap-guangzhou"

    static func run(_ env: [String: String]) async throws {
        let packages = 2500
        let sim = try await TencentSimServer.start(
            regions: [region], secretID: secretID, secretKey: secretKey, packagesPerRegion: packages, seed: 42, limitCap: 100)
        let http = HTTPClient()
        let client = TencentClient(httpClient: http, sleep: { _ in }, random: { 0.5 })
        let endpoint = TencentEndpoint(
            account: "test", region: region, credentials: TencentCredentials(secretID: secretID, secretKey: secretKey), baseURL: sim.baseURL)
        // The pages exactly as tencent-sim serves them (signed requests through its handler, no network).
        var pages: [[UInt8]] = []
        let signer = TC3Signer(credentials: endpoint.credentials)
        for offset in stride(from: 0, to: packages, by: 100) {
            let body = TencentListFilter().jsonBody(offset: offset, limit: 100)
            let ts = Int64(Date().timeIntervalSince1970)
            let host = endpoint.hostHeader
            let auth = signer.authorization(method: "POST", host: host, contentType: "application/json", query: "", body: body, timestamp: ts)
            let request = TencentSimRequest(
                method: "POST", path: "/", rawQuery: "",
                headers: [("Host", host), ("Content-Type", "application/json"), ("X-TC-Action", "DescribeTrafficPackages"),
                          ("X-TC-Version", "2017-03-12"), ("X-TC-Region", region), ("X-TC-Timestamp", String(ts)),
                          ("Authorization", auth)],
                body: body)
            let reply = sim.withSimulator { $0.handle(request, realNow: Date()) }
            pages.append(Array(reply.body.utf8))
        }
        let decoder = TencentWireDecoder(source: endpoint.source, operation: "describe")
        var decoded = 0
        for page in pages { decoded += try decoder.listPage(page).packages.count }   // warm-up
        try Bench.check(decoded == packages, "decoded \(decoded) of \(packages)")
        decoded = 0
        let rounds = 10
        let cpu0 = BenchProcess.threadCPU()
        for _ in 0..<rounds { for page in pages { decoded += try decoder.listPage(page).packages.count } }
        let msPerThousand = (BenchProcess.threadCPU() - cpu0) / Double(decoded) * 1000 * 1000
        let bytesPerPackage = Double(pages.reduce(0) { $0 + $1.count }) / Double(packages)

        // The whole client walk over loopback (25 signed pages of 100), for scale.
        var walls: [Double] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            let inventory = try await client.listPackages(endpoint)
            walls.append(BenchProcess.seconds(ContinuousClock.now - start))
            try Bench.check(inventory.packages.count == packages, "listed \(inventory.packages.count) of \(packages)")
        }
        await http.shutdown()
        await sim.stop()
        let result = """
            {"packages":\(packages),"pageSize":100,"decodeCPUMsPer1000":\(msPerThousand),"bytesPerPackage":\(bytesPerPackage),\
            "listWalkMedianSeconds":\(walls.sorted()[walls.count / 2])}
            """
        print("TENCENT-DECODE-BENCH " + result)
        if let out = env["TPGW_BENCH_OUT"] { try result.write(toFile: out, atomically: true, encoding: .utf8) }
    }
}
