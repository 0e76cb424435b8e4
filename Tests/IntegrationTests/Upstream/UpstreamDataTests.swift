import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
@testable import bce_sim
@testable import TPGWGateway

/// Issue 11: what the provider sends that tpgw cannot represent is skipped and reported, not fatal to the
/// region; unknown statuses and policies are kept as `unknown`; extreme stored numbers never trap.
/// Through bce-sim, the poller, real PostgreSQL and the API.
@Suite(.enabled(if: TestDatabase.isConfigured)) struct UpstreamDataTests {
    static func package(_ id: String?, status: String = "RUNNING", policy: String = "FullTimeDurationPackage", used: String = "1073741824") -> String {
        let idField = id.map { #""id":"\#($0)","# } ?? ""
        return #"{\#(idField)"deductPolicy":"\#(policy)","packageType":"WebOutBytes","status":"\#(status)","capacity":10737418240,"usedCapacity":\#(used),"createTime":"2026-11-01T00:00:00Z","activeTime":"2026-11-01T00:00:00Z","expireTime":"2027-11-01T00:00:00Z"}"#
    }

    static func items(_ reply: Reply) -> [[String: Any]] { reply.json["items"] as? [[String: Any]] ?? [] }

    static func source(_ reply: Reply, _ region: String) -> [String: Any]? {
        items(reply).first { $0["region"] as? String == region }
    }

    @Test func badPackages_areSkippedAndNamedInLastError_restOfRegionServed_unknownStatusKept() async throws {
        try await GatewayHarness.with(regions: ["bj", "gz"], packages: 12) { gw in
            // tp-neg was fine at first: it is stored, and must survive being skipped later.
            gw.sim.inject(region: "bj", [Self.package("tp-neg")])
            #expect(try await gw.request("POST", "/v1/refresh?region=bj", key: "write").status == 200)
            gw.sim.inject(region: "bj", [
                Self.package("tp-frozen", status: "FROZEN"), Self.package("tp-weekend", policy: "WeekendPackage"),
                Self.package("tp-neg", used: "-5"), Self.package(nil), Self.package("tp-huge", used: "\"99999999999999999999\""),
            ])
            let refresh = try await gw.request("POST", "/v1/refresh?region=bj", key: "write")
            #expect(refresh.status == 200)
            #expect(refresh.text.contains("\"ok\""), "\(refresh.text)")
            try await gw.app.views.rebuild()

            // The source: polled successfully (ok), lastError names every skipped package and its field.
            let sources = try await gw.request("GET", "/v1/sources")
            let bj = try #require(Self.source(sources, "bj"), "\(sources.text)")
            #expect(bj["status"] as? String == "ok")
            #expect(bj["consecutiveFailures"] as? Int == 0)
            let lastError = try #require(bj["lastError"] as? [String: Any], "\(sources.text)")
            #expect(lastError["code"] as? String == "skippedPackages")
            #expect(lastError["message"] as? String
                == "skipped 3 packages: tp-neg: field usedCapacity: negative; packageList[15]: field id: missing; tp-huge: field usedCapacity: out of range")
            #expect(Self.source(sources, "gz")?["lastError"] is NSNull)

            // The region is served: the generated packages, the unknown ones, and tp-neg as last stored (not released).
            let packages = try await gw.request("GET", "/v1/packages?region=bj&limit=100")
            let byID = Dictionary(uniqueKeysWithValues: Self.items(packages).map { ($0["id"] as? String ?? "", $0) })
            #expect(byID.count == 12 + 3)
            #expect(byID["tp-frozen"]?["status"] as? String == "unknown")
            #expect(byID["tp-weekend"]?["policy"] as? String == "unknown")
            #expect(byID["tp-neg"]?["status"] as? String == "active")
            #expect(byID["tp-neg"]?["usedBytes"] as? Int == 1_073_741_824)
            for id in ["tp-frozen", "tp-weekend"] {
                let forecast = byID[id]?["forecast"] as? [String: Any]
                #expect(forecast?["exhaustsAt"] is NSNull && forecast?["unusedAtExpiryBytes"] as? Int == 0, "\(id): \(String(describing: forecast))")
            }
            let summary = try await gw.request("GET", "/v1/summary?groupBy=status")
            let total = summary.json["total"] as? [String: Any]
            #expect((total?["statusCounts"] as? [String: Any])?["unknown"] as? Int == 1, "\(summary.text)")
            #expect(total?["packageCount"] as? Int == 12 + 3 + 12)

            // Counted per field.
            let metrics = try await gw.request("GET", "/metrics")
            #expect(metrics.text.contains(#"tpgw_upstream_packages_skipped_total{account="prod",region="bj",field="usedCapacity"} 2"#), "\(metrics.text.prefix(4000))")
            #expect(metrics.text.contains(#"tpgw_upstream_packages_skipped_total{account="prod",region="bj",field="id"} 1"#))

            // A poll that skips nothing clears the report.
            gw.sim.inject(region: "bj", [])
            #expect(try await gw.request("POST", "/v1/refresh?region=bj", key: "write").status == 200)
            try await gw.app.views.rebuild()
            let healed = try await gw.request("GET", "/v1/sources")
            #expect(Self.source(healed, "bj")?["lastError"] is NSNull, "\(healed.text)")
        }
    }

    @Test func storedCapacitiesNearInt64Max_loadAndSumWithoutTrapping() async throws {
        try await GatewayHarness.with(regions: ["bj", "gz"], packages: 10) { gw in
            try await gw.db.execute("UPDATE packages SET capacity_bytes = 9223372036854775807, used_bytes = 0 WHERE status <> 'released'")
            try await gw.app.views.rebuild()
            for path in ["/v1/summary", "/v1/summary?groupBy=account", "/v1/summary?groupBy=policy", "/v1/packages?limit=5", "/metrics", "/v1/sources"] {
                let reply = try await gw.request("GET", path)
                #expect(reply.status == 200, "\(path): \(reply.text.prefix(300))")
            }
            let summary = try await gw.request("GET", "/v1/summary")
            let total = try #require(summary.json["total"] as? [String: Any])
            let active = (total["statusCounts"] as? [String: Any])?["active"] as? Int ?? 0
            #expect(active > 1)
            #expect(total["capacityBytes"] as? Int == Int.max, "\(summary.text.prefix(600))")
            #expect(total["remainingBytes"] as? Int == Int.max)
            // A poll rewrites the rows from upstream; the rows with huge values were read and planned against.
            #expect(try await gw.request("POST", "/v1/refresh", key: "write").status == 200)
        }
    }
}
