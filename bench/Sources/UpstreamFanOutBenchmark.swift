import Foundation
import TPGWBCE
import TPGWCore
import TPGWHTTPClient

/// `tpgw-bench upstream-fanout` (bench/upstream/run.sh): `TPGW_BENCH_SIM_PORTS` is the JSON line of a running
/// `bce-sim` (one "region" per source, 100 ms latency injected by the script), `TPGW_BENCH_SIM_PID` its process.
/// Prints `UPSTREAM-BENCH {json}` and writes it to `TPGW_BENCH_OUT`.
enum UpstreamFanOutBenchmark {
    static func run(_ env: [String: String]) async throws {
        guard let portsJSON = env["TPGW_BENCH_SIM_PORTS"] else { throw Bench.Failure(description: "TPGW_BENCH_SIM_PORTS is not set") }
        guard let doc = try JSONSerialization.jsonObject(with: Data(portsJSON.utf8)) as? [String: Any],
              let members = doc["regions"] as? [String: Int] else { throw Bench.Failure(description: "bad ports JSON") }
        let creds = BCECredentials(accessKeyID: env["TPGW_BENCH_AK"] ?? "AK", secretAccessKey: env["TPGW_BENCH_SK"] ?? "SK")
        let endpoints = members.sorted { $0.key < $1.key }.map { name, port in
            BCEEndpoint(account: "bench", region: name, credentials: creds, baseURL: "http://127.0.0.1:\(port)")
        }
        let http = HTTPClient()
        let client = BCEClient(httpClient: http)

        // Warm up connections once.
        _ = await client.readAll(endpoints)

        var slowest: Duration = .zero
        var slowestRegion = ""
        var singles: [Duration] = []
        for e in endpoints {
            let r = await client.read(e)
            try Bench.check(r.states?.count == 2500, "\(e.region): read \(r.states?.count ?? 0) of 2500")
            singles.append(r.latency)
            if r.latency > slowest { slowest = r.latency; slowestRegion = e.region }
        }
        let medianSingle = singles.sorted()[singles.count / 2]
        let simPID = env["TPGW_BENCH_SIM_PID"].flatMap { Int32($0) }
        let rounds = 5
        let client0 = BenchProcess.processCPU(), sim0 = simPID.map(BenchProcess.processCPU(pid:))
        var walls: [Duration] = []
        var total = 0
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            let readings = await client.readAll(endpoints)
            walls.append(ContinuousClock.now - start)
            total = readings.reduce(0) { $0 + ($1.states?.count ?? 0) }
        }
        let wall = walls.sorted()[rounds / 2]
        let clientCPUPerFanOut = (BenchProcess.processCPU() - client0) / Double(rounds)
        let simCPUPerFanOut = zip(sim0.map { [$0] } ?? [], simPID.map { [BenchProcess.processCPU(pid: $0)] } ?? []).map { ($1 - $0) / Double(rounds) }.first ?? -1
        try Bench.check(total == endpoints.count * 2500, "fan-out read \(total)")

        // The same fan-out without the added latency: what the CPU work alone (bce-sim + client) costs.
        try await setLatency(http, endpoints[0], ms: 0)
        var bare: [Duration] = []
        for _ in 0..<3 {
            let start = ContinuousClock.now
            _ = await client.readAll(endpoints)
            bare.append(ContinuousClock.now - start)
        }
        try await setLatency(http, endpoints[0], ms: 100)

        // CPU time to decode pages of 1,000 packages (the decoder alone, on this thread).
        let page = try await rawPage(http, endpoints[0])
        let decoder = BCEWireDecoder(source: endpoints[0].source, operation: "list")
        let cpu0 = BenchProcess.threadCPU()
        var decoded = 0
        for _ in 0..<20 { decoded += try decoder.listPage(page).packages.count }
        let cpuPerThousand = (BenchProcess.threadCPU() - cpu0) / Double(decoded) * 1000
        let processCPU = BenchProcess.processCPU()
        await http.shutdown()

        let ratio = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        let slow = Double(slowest.components.seconds) + Double(slowest.components.attoseconds) / 1e18
        let result = """
            {"sources":\(endpoints.count),"packagesPerSource":2500,"fanOutWallSeconds":\(ratio),"fanOutRuns":[\(walls.map { "\(Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18)" }.joined(separator: ","))],\
            "slowestSingleSeconds":\(slow),"slowestRegion":"\(slowestRegion)","medianSingleSeconds":\(BenchProcess.seconds(medianSingle)),"ratio":\(ratio / slow),\
            "fanOutNoLatencySeconds":\(BenchProcess.seconds(bare.sorted()[1])),"clientCPUPerFanOutSeconds":\(clientCPUPerFanOut),\
            "simCPUPerFanOutSeconds":\(simCPUPerFanOut),"decodeCPUMsPer1000":\(cpuPerThousand * 1000),"processCPUSeconds":\(processCPU),"peakRSSMiB":\(BenchProcess.peakRSSKiB() / 1024)}
            """
        print("UPSTREAM-BENCH " + result)
        if let out = env["TPGW_BENCH_OUT"] { try result.write(toFile: out, atomically: true, encoding: .utf8) }
        try Bench.check(ratio / slow <= 1.3, "fan-out took \(ratio / slow)x the slowest single source (at most 1.3)")
    }

    /// Sets bce-sim's added latency for every region (control endpoint, unsigned).
    static func setLatency(_ http: HTTPClient, _ e: BCEEndpoint, ms: Int) async throws {
        let r = try await http.execute(HTTPClientRequest(
            method: "POST", url: e.baseURL + "/__sim/faults", body: Array("{\"region\":\"*\",\"latencyMs\":\(ms)}".utf8)))
        try Bench.check(r.status == 200, "setting the latency: HTTP \(r.status)")
    }

    static func rawPage(_ http: HTTPClient, _ e: BCEEndpoint) async throws -> [UInt8] {
        let path = "/v1/eiptp"
        let query = [("maxKeys", "1000")]
        let headers = BCESigner(credentials: e.credentials).signedHeaders(method: "GET", host: e.hostHeader, path: path, query: query, date: Date())
        let r = try await http.execute(HTTPClientRequest(url: e.baseURL + path + "?maxKeys=1000", headers: headers.map { (name: $0.0, value: $0.1) }))
        return r.body
    }
}
