import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
import TPGWStore
@testable import tencent_sim
@testable import TPGWGateway

/// One gateway over one Baidu and one Tencent account in several regions, through the real composition root:
/// bce-sim and tencent-sim on loopback port 0, real libcurl, real PostgreSQL. Purchases, quotes, refunds, budgets
/// and pool forecasts for both clouds.
@Suite(.enabled(if: TestDatabase.isConfigured, "set TPGW_TEST_DATABASE_URL"))
struct TwoCloudPurchaseTests {
    static let secretID = "AKIDtpgwTwoCloudBuy000000000000000000"
    static let secretKey = "tpgw-two-cloud-buy-secret-key-000000"

    /// Runs `body` with tencent-sim (ap-guangzhou, ap-shanghai) and a gateway watching Baidu `bj`, `gz` and Tencent
    /// `ap-guangzhou`, `ap-shanghai` and `ap-nowhere` (which the simulator does not serve).
    static func withTwoClouds(
        packages: Int = 6, configureAccount: (inout AccountConfiguration) -> Void = { _ in },
        _ body: (GatewayHarness, TencentSimServer) async throws -> Void
    ) async throws {
        let tencent = try await TencentSimServer.start(
            regions: ["ap-guangzhou", "ap-shanghai"], secretID: secretID, secretKey: secretKey, packagesPerRegion: packages, seed: 11)
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("tpgw-tencent-\(UUID().uuidString)").path
        try Data(secretKey.utf8).write(to: URL(fileURLWithPath: keyFile))
        defer { try? FileManager.default.removeItem(atPath: keyFile) }
        var account = AccountConfiguration(name: "tc", accessKeyId: secretID, secretAccessKeyEnv: nil,
                                           regions: ["ap-guangzhou", "ap-shanghai", "ap-nowhere"])
        account.provider = "tencent"
        account.secretAccessKeyFile = keyFile
        account.secret = secretKey
        account.endpoint = tencent.baseURL
        account.regionsGiven = true
        configureAccount(&account)
        do {
            try await GatewayHarness.with(regions: ["bj", "gz"], packages: packages, configure: { $0.accounts.append(account) }) { gw in
                try await body(gw, tencent)
            }
        } catch {
            await tencent.stop()
            throw error
        }
        await tencent.stop()
    }

    static func creates(_ sim: TencentSimServer, _ region: String) -> Int {
        sim.withSimulator { $0.regions[region]?.actions.filter { $0 == "CreateTrafficPackages" }.count ?? 0 }
    }

    @Test func tencentPurchase_buysCountPackages_andAnIdempotencyKeyReplaySendsNothing() async throws {
        try await Self.withTwoClouds { gw, sim in
            let order = #"{"account":"tc","region":"ap-guangzhou","capacity":"10G","count":3,"policy":"offPeak"}"#
            let first = try await gw.request("POST", "/v1/packages", key: "write", body: order, headers: [("Idempotency-Key", "tc-3")])
            #expect(first.status == 201, "\(first.text)")
            let items = try #require(first.json["items"] as? [[String: Any]])
            #expect(items.count == 3)
            #expect(items.allSatisfy { ($0["key"] as? String)?.hasPrefix("tencent:tc:ap-guangzhou:tfp-") == true })
            #expect(items.allSatisfy { $0["policy"] as? String == "offPeak" && $0["capacityBytes"] as? Int == 10 << 30 })
            #expect(Self.creates(sim, "ap-guangzhou") == 1)

            let again = try await gw.request("POST", "/v1/packages", key: "write", body: order, headers: [("Idempotency-Key", "tc-3")])
            #expect(again.status == 201)
            #expect(again.header("Idempotent-Replayed") == "true")
            #expect(Self.creates(sim, "ap-guangzhou") == 1)

            let id = try #require(first.header("X-Purchase-Id"))
            let purchase = try await gw.request("GET", "/v1/purchases/\(id)")
            #expect(purchase.json["state"] as? String == "succeeded")
            #expect(purchase.json["provider"] as? String == "tencent")
            #expect((purchase.json["packageKeys"] as? [String])?.count == 3)
            #expect((purchase.json["request"] as? [String: Any])?["count"] as? Int == 3)
            #expect(purchase.json["attemptedAt"] as? String != nil)

            // The bought packages are in the listing at once; Baidu still buys through the same route.
            let listed = try await gw.request("GET", "/v1/packages?provider=tencent&region=ap-guangzhou&limit=1000")
            let keys = Set(((listed.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String })
            #expect(Set(items.compactMap { $0["key"] as? String }).isSubset(of: keys))
            let bce = try await gw.request("POST", "/v1/packages", key: "write",
                body: #"{"account":"prod","region":"bj","capacity":"100G","reservationLength":1}"#, headers: [("Idempotency-Key", "bce-1")])
            #expect(bce.status == 201, "\(bce.text)")
            #expect((bce.json["key"] as? String)?.hasPrefix("bce:prod:bj:") == true)

            // Tencent's rules before anything is sent: the size fixes the validity, count 1-20, no line types.
            let wrong = try await gw.request("POST", "/v1/packages", key: "write",
                body: #"{"account":"tc","region":"ap-guangzhou","capacity":"10G","reservationLength":6,"count":21}"#,
                headers: [("Idempotency-Key", "tc-bad")])
            #expect(wrong.status == 422)
            let fields = Set(((wrong.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["count", "reservationLength"])
            #expect(Self.creates(sim, "ap-guangzhou") == 1)
            #expect(!gw.logText.contains(Self.secretKey))
        }
    }

    @Test func ambiguousCreate_isNeverResent_andIsSettledByListingTheRegion() async throws {
        try await Self.withTwoClouds { gw, sim in
            // The create buys, then the answer is an InternalError: the outcome is unknown to tpgw.
            var fault = TencentSimFault.error("InternalError", times: 1, actions: ["CreateTrafficPackages"])
            fault.afterCommit = true
            sim.setFault(region: "ap-shanghai", fault)
            let order = #"{"account":"tc","region":"ap-shanghai","capacity":"50G","count":2}"#
            let first = try await gw.request("POST", "/v1/packages", key: "write", body: order, headers: [("Idempotency-Key", "amb-1")])
            // Listed at once: the two packages created since the attempt are found, and they are this purchase's.
            #expect(first.status == 201, "\(first.text)")
            let id = try #require(first.header("X-Purchase-Id"))
            #expect(Self.creates(sim, "ap-shanghai") == 1)
            let bought = sim.withSimulator { $0.packages(region: "ap-shanghai").filter { $0.totalGB == 50 && $0.createdTime > Date() - 600 } }
            #expect(bought.count == 2)

            let purchase = try await gw.request("GET", "/v1/purchases/\(id)")
            #expect(purchase.json["state"] as? String == "succeeded", "\(purchase.text)")
            let keys = Set((purchase.json["packageKeys"] as? [String]) ?? [])
            #expect(keys == Set(bought.map { "tencent:tc:ap-shanghai:\($0.id)" }))
            let reconciliation = try #require(purchase.json["reconciliation"] as? [String: Any])
            #expect(reconciliation["result"] as? String == "succeeded")
            #expect(reconciliation["listings"] as? Int == 1)
            #expect(Set((reconciliation["found"] as? [String]) ?? []) == Set(bought.map(\.id)))
            #expect((reconciliation["reason"] as? String)?.contains("created since") == true)

            // A replay and a reconciler pass send nothing.
            let again = try await gw.request("POST", "/v1/packages", key: "write", body: order, headers: [("Idempotency-Key", "amb-1")])
            #expect(again.status == 201)
            _ = try await gw.app.makePurchaseReconciler().pass(now: Date().addingTimeInterval(3600))
            #expect(Self.creates(sim, "ap-shanghai") == 1)

            // A second ambiguous order of the same size and kind (bought, then the connection drops) does not claim
            // the first one's packages.
            sim.setFault(region: "ap-shanghai", {
                var f = TencentSimFault.error("InternalError", times: 1, actions: ["CreateTrafficPackages"])
                f.closeConnection = true
                f.afterCommit = true
                return f
            }())
            let second = try await gw.request("POST", "/v1/packages", key: "write", body: order, headers: [("Idempotency-Key", "amb-2")])
            #expect(second.status == 201, "\(second.text)")
            let secondKeys = Set(((second.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String })
            #expect(secondKeys.count == 2 && secondKeys.isDisjoint(with: keys))
            #expect(Self.creates(sim, "ap-shanghai") == 2)
        }
    }

    @Test func ambiguousCreateThatBoughtNothing_staysPending_thenFails_withWhatWasChecked_neverResent() async throws {
        try await Self.withTwoClouds { gw, sim in
            // The connection drops after the request is sent and nothing is bought.
            var fault = TencentSimFault.error("InternalError", times: 1, actions: ["CreateTrafficPackages"])
            fault.closeConnection = true
            sim.setFault(region: "ap-guangzhou", fault)
            let order = #"{"account":"tc","region":"ap-guangzhou","capacity":"60G"}"#
            let first = try await gw.request("POST", "/v1/packages", key: "write", body: order, headers: [("Idempotency-Key", "lost-1")])
            #expect(first.status >= 500, "\(first.text)")
            #expect(first.text.contains("never sent"))
            let pending = try await gw.request("GET", "/v1/purchases?state=pending")
            let id = try #require((pending.json["items"] as? [[String: Any]])?.first?["id"] as? String)
            var purchase = try await gw.request("GET", "/v1/purchases/\(id)")
            #expect(purchase.json["state"] as? String == "pending")
            #expect((purchase.json["reconciliation"] as? [String: Any])?["result"] as? String == "pending")

            // A replay lists again; it never sends the create.
            let replay = try await gw.request("POST", "/v1/packages", key: "write", body: order, headers: [("Idempotency-Key", "lost-1")])
            #expect(replay.status >= 500 || replay.status == 409, "\(replay.text)")
            #expect(Self.creates(sim, "ap-guangzhou") == 1)

            // After the settle time, the reconciler's listing finds nothing: failed, with what it checked.
            let report = try await gw.app.makePurchaseReconciler().pass(now: Date().addingTimeInterval(3600))
            #expect(report.failed == 1, "\(report)")
            #expect(Self.creates(sim, "ap-guangzhou") == 1)
            purchase = try await gw.request("GET", "/v1/purchases/\(id)")
            #expect(purchase.json["state"] as? String == "failed", "\(purchase.text)")
            let r = try #require(purchase.json["reconciliation"] as? [String: Any])
            #expect(r["result"] as? String == "failed")
            #expect((r["listings"] as? Int ?? 0) >= 2)
            #expect((r["reason"] as? String)?.contains("no package found") == true)
            #expect(r["lookedFor"] as? String == "1 x 60G fullTime")
        }
    }

    @Test func quote_pricesBaidu_andSaysTencentHasNoPriceAPI() async throws {
        try await Self.withTwoClouds(packages: 1) { gw, _ in
            let bce = try await gw.request("POST", "/v1/packages/quote", body: #"{"account":"prod","region":"bj","capacity":"100G","reservationLength":1}"#)
            #expect(bce.status == 200, "\(bce.text)")
            #expect(bce.json["price"] as? String != nil && bce.json["priceAPI"] as? Bool == true && bce.json["currency"] as? String == "CNY")
            let tc = try await gw.request("POST", "/v1/packages/quote", body: #"{"account":"tc","region":"ap-guangzhou","capacity":"5T","count":2}"#)
            #expect(tc.status == 200, "\(tc.text)")
            #expect(tc.json["price"] is NSNull && tc.json["priceAPI"] as? Bool == false)
            #expect(tc.json["reservationLength"] as? Int == 1 && tc.json["count"] as? Int == 2 && tc.json["provider"] as? String == "tencent")
            #expect((tc.json["note"] as? String)?.contains("no price API") == true)
        }
    }

    @Test func refundedPackage_showsAsRefunded_andItsHistoryStays() async throws {
        try await Self.withTwoClouds { gw, sim in
            let listed = try await gw.request("GET", "/v1/packages?provider=tencent&region=ap-guangzhou&status=active&limit=1000")
            let active = try #require((listed.json["items"] as? [[String: Any]])?.first)
            let key = try #require(active["key"] as? String)
            let id = String(key.split(separator: ":").last!)
            sim.withSimulator { s in s.setStatus("REFUNDED", id: id, region: "ap-guangzhou") }
            let refresh = try await gw.request("POST", "/v1/refresh", key: "write")
            #expect(refresh.status == 200)
            try await gw.app.views.rebuild()
            let one = try await gw.request("GET", "/v1/packages/\(key)")
            #expect(one.json["status"] as? String == "refunded", "\(one.text)")
            let refunded = try await gw.request("GET", "/v1/packages?provider=tencent&status=refunded&limit=1000")
            #expect(((refunded.json["items"] as? [[String: Any]]) ?? []).contains { $0["key"] as? String == key })
            let usage = try await gw.request("GET", "/v1/packages/\(key)/usage")
            #expect(usage.status == 200, "\(usage.text)")
            let snapshots = try await gw.db.pool.query(PostgresQuery(unsafeSQL: """
                SELECT count(*)::int FROM snapshots s JOIN packages p ON p.id = s.package_pk WHERE p.package_id = '\(id)'
                """))
            #expect(try snapshots[0].decode(Int.self, at: 0) >= 2)
        }
    }

    @Test func budgetsAndPools_coverBothClouds_andTencentPoolsSayWhatTheyAssume() async throws {
        try await Self.withTwoClouds(configureAccount: {
            $0.offPeak = ("23:00", "07:00", "+08:00")
            $0.drawOrder = "earliestPurchaseFirst"
        }) { gw, _ in
            let budget = try await gw.request("POST", "/v1/budgets", key: "write",
                body: #"{"name":"everything","rules":[{"kind":"usedRatio","thresholds":[0.0001]}]}"#)
            #expect(budget.status == 201, "\(budget.text)")
            let budgetID = try #require(budget.json["id"] as? String)
            _ = try await gw.request("POST", "/v1/refresh", key: "write")
            try await gw.app.views.rebuild()
            var subjects: Set<String> = []
            for _ in 0..<100 {
                let alerts = try await gw.request("GET", "/v1/alerts?state=firing&budget=\(budgetID)&limit=1000")
                subjects = Set(((alerts.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["subject"] as? String })
                if subjects.contains(where: { $0.contains("bce:") }) && subjects.contains(where: { $0.contains("tencent:") }) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(subjects.contains { $0.contains("bce:prod:") }, "\(subjects)")
            #expect(subjects.contains { $0.contains("tencent:tc:") }, "\(subjects)")

            let summary = try await gw.request("GET", "/v1/summary?groupBy=region")
            let groups = (summary.json["groups"] as? [[String: Any]]) ?? []
            let pools = groups.flatMap { ($0["pools"] as? [[String: Any]]) ?? [] }
            let tencentPool = try #require(pools.first { ($0["source"] as? [String: Any])?["provider"] as? String == "tencent" })
            #expect(tencentPool["drawOrder"] as? String == "earliestPurchaseFirst")
            #expect(tencentPool["offPeakWindow"] as? String == "15:00-23:00 UTC")
            let bcePool = try #require(pools.first { ($0["source"] as? [String: Any])?["provider"] as? String == "bce" })
            #expect(bcePool["drawOrder"] as? String == "earliestDeadlineFirst")
            #expect(bcePool["offPeakWindow"] as? String == "16:00-00:00 UTC")
            // The status page says what each pool's forecast assumed.
            let page = try await gw.request("GET", "/")
            #expect(page.status == 200)
            #expect(page.text.contains("draws oldest purchase first, off-peak 15:00-23:00 UTC"), "Tencent pool's assumption")
            #expect(page.text.contains("draws earliest expiry first, off-peak 16:00-00:00 UTC"), "Baidu pool's assumption")
            let byProvider = try await gw.request("GET", "/v1/summary?groupBy=provider")
            let providerKeys = Set(((byProvider.json["groups"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String })
            #expect(providerKeys.isSuperset(of: ["bce", "tencent"]), "\(byProvider.text)")
        }
    }
}
