import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
@testable import TPGWGateway

/// One source-health model, through the composition root: a region that was never read successfully is `unknown`
/// in the summary's pools, in the metrics and on the status page; it never makes an empty pool nor "pool empty now".
@Suite(.enabled(if: TestDatabase.isConfigured))
struct SourceHealthModelTests {
    @Test func aRegionNeverReadSuccessfully_isUnknown_neverAnEmptyPool() async throws {
        // gz points at a closed port: its reads fail; bj is read.
        try await GatewayHarness.with(regions: ["bj", "gz"], packages: 10, configure: { $0.accounts[0].endpoints["gz"] = "http://127.0.0.1:1" }) { gw in
            let summary = try await gw.request("GET", "/v1/summary?groupBy=region")
            #expect(summary.status == 200)
            let groups = try #require(summary.json["groups"] as? [[String: Any]])
            let gz = try #require(groups.first { $0["key"] as? String == "gz" })
            let gzPool = try #require((gz["pools"] as? [[String: Any]])?.first)
            #expect(gzPool["unknown"] as? Bool == true)
            #expect(gzPool["emptyAt"] is NSNull)
            #expect(gz["poolEmptyAt"] is NSNull, "an unknown pool has no empty time")
            let bj = try #require(groups.first { $0["key"] as? String == "bj" })
            #expect((bj["pools"] as? [[String: Any]])?.first?["unknown"] as? Bool == false)
            let total = try #require(summary.json["total"] as? [String: Any])
            if let at = (total["poolEmptyAt"] as? String).flatMap(RFC3339.parse) {
                #expect(at.timeIntervalSinceNow > 3600, "the total's first empty pool is bj's forecast, not gz 'now'")
            }
            let sources = try #require(summary.json["sources"] as? [[String: Any]])
            #expect(sources.first { $0["region"] as? String == "gz" }?["status"] as? String == "failing")

            let metrics = try await gw.request("GET", "/metrics", key: nil)
            #expect(metrics.text.contains(#"tpgw_source_up{account="prod",region="gz"} 0"#) || metrics.text.contains(#"region="gz"} 0"#))

            let page = try await gw.request("GET", "/", key: nil)
            #expect(page.status == 200)
            #expect(!page.text.contains("empty now"))
        }
    }
}
