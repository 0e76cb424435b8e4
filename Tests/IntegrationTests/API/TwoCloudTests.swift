import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
@testable import tencent_sim
@testable import TPGWGateway

/// Baidu and Tencent side by side in one gateway: bce-sim and tencent-sim on loopback, real libcurl, real PostgreSQL.
@Suite(.enabled(if: TestDatabase.isConfigured, "set TPGW_TEST_DATABASE_URL"))
struct TwoCloudTests {
    static let secretID = "AKIDtpgwTwoCloud00000000000000000000"
    static let secretKey = "tpgw-two-cloud-secret-key-0000000000"

    @Test func oneListing_summariesAndSources_coverBothClouds_andAFailingTencentRegionIsShownNotZero() async throws {
        let tencent = try await TencentSimServer.start(
            regions: ["ap-guangzhou", "ap-shanghai"], secretID: Self.secretID, secretKey: Self.secretKey, packagesPerRegion: 12, seed: 5)
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("tpgw-tencent-\(UUID().uuidString)").path
        try Data(Self.secretKey.utf8).write(to: URL(fileURLWithPath: keyFile))
        defer { try? FileManager.default.removeItem(atPath: keyFile) }
        var account = AccountConfiguration(name: "tc", accessKeyId: Self.secretID, secretAccessKeyEnv: nil,
                                           regions: ["ap-guangzhou", "ap-shanghai", "ap-nowhere"])
        account.provider = "tencent"
        account.secretAccessKeyFile = keyFile
        account.secret = Self.secretKey
        account.endpoint = tencent.baseURL
        account.regionsGiven = true
        try await GatewayHarness.with(regions: ["bj"], packages: 10, configure: { $0.accounts.append(account) }) { gw in
            let all = try await gw.request("GET", "/v1/packages?limit=1000")
            #expect(all.status == 200)
            let items = try #require(all.json["items"] as? [[String: Any]])
            let providers = Set(items.compactMap { $0["provider"] as? String })
            #expect(providers == ["bce", "tencent"])
            #expect(items.filter { ($0["provider"] as? String) == "tencent" }.count == 24)

            let onlyTencent = try await gw.request("GET", "/v1/packages?provider=tencent&limit=1000")
            let tencentItems = try #require(onlyTencent.json["items"] as? [[String: Any]])
            #expect(tencentItems.count == 24)
            #expect(tencentItems.allSatisfy { ($0["key"] as? String)?.hasPrefix("tencent:tc:ap-") == true })
            let statuses = Set(tencentItems.compactMap { $0["status"] as? String })
            #expect(statuses.isSubset(of: ["active", "usedUp", "expired", "refunded", "deleted", "unknown"]))

            let summary = try await gw.request("GET", "/v1/summary?groupBy=region")
            let regions = Set(((summary.json["groups"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String })
            #expect(regions.isSuperset(of: ["bj", "ap-guangzhou", "ap-shanghai"]))

            // The region the simulator does not serve is failing with the provider's code, never zero packages.
            let sources = try await gw.request("GET", "/v1/sources")
            let list = try #require(sources.json["items"] as? [[String: Any]])
            let nowhere = try #require(list.first { ($0["region"] as? String) == "ap-nowhere" })
            #expect(nowhere["status"] as? String != "ok")
            #expect(((nowhere["lastError"] as? [String: Any])?["code"] as? String)?.contains("UnsupportedRegion") == true)
            #expect(list.filter { ($0["provider"] as? String) == "tencent" && ($0["status"] as? String) == "ok" }.count == 2)
            #expect(!gw.logText.contains(Self.secretKey))
        }
        await tencent.stop()
    }
}
