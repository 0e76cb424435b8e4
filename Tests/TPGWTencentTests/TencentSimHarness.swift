import Foundation
import Synchronization
import TPGWCore
import TPGWHTTPClient
import TPGWTencent
@testable import tencent_sim

/// Starts tencent-sim in-process on port 0 plus a Tencent client pointed at it over real libcurl.
struct TencentSimHarness {
    static let secretID = "AKIDtpgwTest000000000000000000000000"
    static let secretKey = "tpgw-test-secret-key-000000000000"
    static let region = "ap-guangzhou"

    let sim: TencentSimServer
    let http: HTTPClient
    let client: TencentClient
    /// Every delay the client asked to sleep (no real sleeping in tests).
    let sleeps: SleepRecorder

    static func start(
        regions: [String] = [region], packages: Int = 20, limitCap: Int = 100, http httpConfig: HTTPClient.Configuration = .init(),
        configure: (inout TencentClient.Configuration) -> Void = { _ in }, now: (@Sendable () -> Date)? = nil
    ) async throws -> TencentSimHarness {
        let sim = try await TencentSimServer.start(
            regions: regions, secretID: secretID, secretKey: secretKey, packagesPerRegion: packages, seed: 42, limitCap: limitCap)
        let http = HTTPClient(configuration: httpConfig)
        var config = TencentClient.Configuration()
        configure(&config)
        let sleeps = SleepRecorder()
        let client = TencentClient(
            httpClient: http, configuration: config, now: now ?? { Date() }, sleep: { d in sleeps.record(d) }, random: { 0.5 })
        return TencentSimHarness(sim: sim, http: http, client: client, sleeps: sleeps)
    }

    final class SleepRecorder: Sendable {
        private let delays = Mutex<[Duration]>([])
        func record(_ d: Duration) { delays.withLock { $0.append(d) } }
        var all: [Duration] { delays.withLock { $0 } }
    }

    func endpoint(_ region: String = TencentSimHarness.region, secretKey: String = TencentSimHarness.secretKey) -> TencentEndpoint {
        TencentEndpoint(
            account: "test", region: region, credentials: TencentCredentials(secretID: Self.secretID, secretKey: secretKey), baseURL: sim.baseURL)
    }

    /// Ids of the region as the simulator holds them (newest first).
    func simIDs(_ region: String = TencentSimHarness.region) -> [String] {
        sim.withSimulator { $0.packages(region: region).map(\.id) }
    }

    /// The `X-TC-Timestamp Authorization` of every request the region saw.
    func authorizations(_ region: String = TencentSimHarness.region) -> [String] {
        sim.withSimulator { $0.regions[region]!.authorizations }
    }

    func stop() async {
        await http.shutdown()
        await sim.stop()
    }
}
