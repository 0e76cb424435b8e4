import Foundation
import TPGWBCE
import TPGWCore
import TPGWHTTPClient
@testable import bce_sim

/// Starts bce-sim in-process on port 0 plus a BCE client pointed at it; `stop()` tears both down.
struct SimHarness {
    static let ak = "AKTEST0001"
    static let sk = "SKTEST-secret-0001"

    let sim: SimulatorServer
    let http: HTTPClient
    let client: BCEClient

    static func start(
        regions: [String] = ["bj"], packages: Int = 20, maxKeysCap: Int = 1000, capacityAsStrings: Bool = false,
        http httpConfig: HTTPClient.Configuration = .init(), configure: (inout BCEClient.Configuration) -> Void = { _ in },
        now: (@Sendable () -> Date)? = nil
    ) async throws -> SimHarness {
        let sim = try await SimulatorServer.start(
            regions: regions, ak: ak, sk: sk, packagesPerRegion: packages, seed: 42, maxKeysCap: maxKeysCap,
            capacityAsStrings: capacityAsStrings, timeScale: 0)
        let http = HTTPClient(configuration: httpConfig)
        var config = BCEClient.Configuration()
        configure(&config)
        let client = BCEClient(
            httpClient: http, configuration: config, now: now ?? { Date() }, sleep: { _ in }, random: { 0.5 })
        return SimHarness(sim: sim, http: http, client: client)
    }

    func endpoint(_ region: String = "bj", account: String = "test", sk: String = SimHarness.sk, ak: String = SimHarness.ak) -> BCEEndpoint {
        BCEEndpoint(account: account, region: region, credentials: BCECredentials(accessKeyID: ak, secretAccessKey: sk), baseURL: sim.baseURL(for: region))
    }

    func allIDs(_ region: String = "bj") -> [String] {
        sim.withSimulator { $0.regions[region]!.order }
    }

    func stop() async {
        await http.shutdown()
        await sim.stop()
    }
}
