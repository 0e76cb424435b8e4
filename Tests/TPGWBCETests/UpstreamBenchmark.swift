import Foundation
import Testing
import TPGWBCE
import TPGWCore
import TPGWHTTPClient
#if canImport(Glibc)
import Glibc
#endif

/// The upstream fan-out benchmark (bench/upstream/run.sh). Skipped unless TPGW_BENCH_SIM_PORTS is set
/// to the JSON line of a running `bce-sim` (one "region" per source, 100 ms latency injected by the script).
@Suite struct UpstreamBenchmark {
    static let portsJSON = ProcessInfo.processInfo.environment["TPGW_BENCH_SIM_PORTS"]

    @Test(.enabled(if: portsJSON != nil))
    func fanOut_overThirtySources() async throws {
        let env = ProcessInfo.processInfo.environment
        let doc = try JSONParser.parse(Array(Self.portsJSON!.utf8))
        guard case .object(let members)? = doc["regions"] else { Issue.record("bad ports JSON"); return }
        let creds = BCECredentials(accessKeyID: env["TPGW_BENCH_AK"] ?? "AK", secretAccessKey: env["TPGW_BENCH_SK"] ?? "SK")
        let endpoints = members.map { name, port -> BCEEndpoint in
            guard case .number(let p) = port else { fatalError() }
            return BCEEndpoint(account: "bench", region: name, credentials: creds, baseURL: "http://127.0.0.1:\(p)")
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
            #expect(r.states?.count == 2500)
            singles.append(r.latency)
            if r.latency > slowest { slowest = r.latency; slowestRegion = e.region }
        }
        let medianSingle = singles.sorted()[singles.count / 2]
        let simPID = env["TPGW_BENCH_SIM_PID"].flatMap { Int32($0) }
        let rounds = 5
        let client0 = Self.processCPU(), sim0 = simPID.map(Self.processCPU(pid:))
        var walls: [Duration] = []
        var total = 0
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            let readings = await client.readAll(endpoints)
            walls.append(ContinuousClock.now - start)
            total = readings.reduce(0) { $0 + ($1.states?.count ?? 0) }
        }
        let wall = walls.sorted()[rounds / 2]
        let clientCPUPerFanOut = (Self.processCPU() - client0) / Double(rounds)
        let simCPUPerFanOut = zip(sim0.map { [$0] } ?? [], simPID.map { [Self.processCPU(pid: $0)] } ?? []).map { ($1 - $0) / Double(rounds) }.first ?? -1
        #expect(total == endpoints.count * 2500)

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
        let cpu0 = Self.threadCPU()
        var decoded = 0
        for _ in 0..<20 { decoded += try decoder.listPage(page).packages.count }
        let cpuPerThousand = (Self.threadCPU() - cpu0) / Double(decoded) * 1000
        let processCPU = Self.processCPU()
        await http.shutdown()

        let ratio = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        let slow = Double(slowest.components.seconds) + Double(slowest.components.attoseconds) / 1e18
        let result = """
            {"sources":\(endpoints.count),"packagesPerSource":2500,"fanOutWallSeconds":\(ratio),"fanOutRuns":[\(walls.map { "\(Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18)" }.joined(separator: ","))],\
            "slowestSingleSeconds":\(slow),"slowestRegion":"\(slowestRegion)","medianSingleSeconds":\(Self.seconds(medianSingle)),"ratio":\(ratio / slow),\
            "fanOutNoLatencySeconds":\(Self.seconds(bare.sorted()[1])),"clientCPUPerFanOutSeconds":\(clientCPUPerFanOut),\
            "simCPUPerFanOutSeconds":\(simCPUPerFanOut),"decodeCPUMsPer1000":\(cpuPerThousand * 1000),"processCPUSeconds":\(processCPU),"peakRSSMiB":\(Self.peakRSSKiB() / 1024)}
            """
        print("UPSTREAM-BENCH " + result)
        if let out = env["TPGW_BENCH_OUT"] { try result.write(toFile: out, atomically: true, encoding: .utf8) }
        #expect(ratio / slow <= 1.3)
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    /// Sets bce-sim's added latency for every region (control endpoint, unsigned).
    func setLatency(_ http: HTTPClient, _ e: BCEEndpoint, ms: Int) async throws {
        let r = try await http.execute(HTTPClientRequest(
            method: "POST", url: e.baseURL + "/__sim/faults", body: Array("{\"region\":\"*\",\"latencyMs\":\(ms)}".utf8)))
        #expect(r.status == 200)
    }

    /// User + system CPU seconds of another process (from /proc; clock ticks of 1/100 s).
    static func processCPU(pid: Int32) -> Double {
        guard let s = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = s.lastIndex(of: ")") else { return 0 }
        let fields = s[s.index(after: close)...].split(separator: " ")
        // After the ")": state is field 3, utime 14 and stime 15 (1-based over the whole line).
        guard fields.count > 12, let u = Double(fields[11]), let k = Double(fields[12]) else { return 0 }
        return (u + k) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func rawPage(_ http: HTTPClient, _ e: BCEEndpoint) async throws -> [UInt8] {
        let path = "/v1/eiptp"
        let query = [("maxKeys", "1000")]
        let headers = BCESigner(credentials: e.credentials).signedHeaders(method: "GET", host: e.hostHeader, path: path, query: query, date: Date())
        let r = try await http.execute(HTTPClientRequest(url: e.baseURL + path + "?maxKeys=1000", headers: headers.map { (name: $0.0, value: $0.1) }))
        return r.body
    }

    static func threadCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func processCPU() -> Double {
        var ru = rusage()
        getrusage(RUSAGE_SELF.rawValue, &ru)
        return Double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + Double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6
    }

    static func peakRSSKiB() -> Int {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first.map(String.init) ?? "0") ?? 0
    }
}
