import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
@testable import TPGWGateway
@testable import bce_sim

/// `GET /v1/packages`, `/v1/packages/{key}`, `/usage`, `/v1/summary`, `/v1/sources` on a live gateway over polled data.
@Suite(.enabled(if: TestDatabase.isConfigured)) struct APIPackageTests {
    @Test func list_pagesThroughEveryPackageOnce_inSortOrder() async throws {
        try await GatewayHarness.with { gw in
            var seen: [String] = []
            var ratios: [Double] = []
            var cursor: String?
            repeat {
                let path = "/v1/packages?sort=-usedRatio&limit=7" + (cursor.map { "&cursor=" + $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! } ?? "")
                let r = try await gw.request("GET", path)
                #expect(r.status == 200)
                let items = r.json["items"] as? [[String: Any]] ?? []
                seen += items.compactMap { $0["key"] as? String }
                ratios += items.compactMap { $0["usedRatio"] as? Double }
                cursor = r.json["nextCursor"] as? String
            } while cursor != nil
            #expect(seen.count == 60)
            #expect(Set(seen).count == 60)
            #expect(ratios == ratios.sorted(by: >))
        }
    }

    @Test func filters_narrowTheList_andSourcesSayHowFresh() async throws {
        try await GatewayHarness.with { gw in
            let r = try await gw.request("GET", "/v1/packages?region=gz&limit=1000")
            let items = r.json["items"] as? [[String: Any]] ?? []
            #expect(items.count == 30)
            #expect(items.allSatisfy { $0["region"] as? String == "gz" })
            let sources = r.json["sources"] as? [[String: Any]] ?? []
            #expect(sources.count == 1)
            #expect(sources.first?["observedAt"] != nil || sources.first?["lastSuccessAt"] != nil)
            let none = try await gw.request("GET", "/v1/packages?account=nobody")
            #expect((none.json["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: [
        ("/v1/packages?limit=0", "limit"), ("/v1/packages?limit=-1", "limit"), ("/v1/packages?limit=5000", "limit"),
        ("/v1/packages?limit=abc", "limit"), ("/v1/packages?status=bogus", "status"), ("/v1/packages?sort=name", "sort"),
        ("/v1/packages?minUsedRatio=2", "minUsedRatio"), ("/v1/packages?expiresBefore=tomorrow", "expiresBefore"),
        ("/v1/packages?colour=red", "colour"), ("/v1/packages?limit=1&limit=2", "limit"),
        ("/v1/summary?groupBy=planet", "groupBy"),
    ])
    func badQuery_is422NamingTheField(path: String, field: String) async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 3, poll: false) { gw in
            let r = try await gw.request("GET", path)
            #expect(r.status == 422, "\(path): \(r.text)")
            #expect(r.code == "validationFailed")
            let fields = (r.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields.contains(field), "\(path): \(r.text)")
        }
    }

    @Test func cursor_fromAnotherQueryOrTampered_isRejected() async throws {
        try await GatewayHarness.with { gw in
            let first = try await gw.request("GET", "/v1/packages?sort=expiresAt&limit=5")
            let cursor = try #require(first.json["nextCursor"] as? String)
            let encoded = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let other = try await gw.request("GET", "/v1/packages?sort=usedRatio&limit=5&cursor=" + encoded)
            #expect(other.status == 404)
            #expect(other.text.contains("cursor"))
            var tampered = Array(cursor)
            tampered[tampered.count / 2] = tampered[tampered.count / 2] == "A" ? "B" : "A"
            let bad = try await gw.request(
                "GET", "/v1/packages?sort=expiresAt&limit=5&cursor=" + String(tampered).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(bad.status == 404)
            let same = try await gw.request("GET", "/v1/packages?sort=expiresAt&limit=5&cursor=" + encoded)
            #expect(same.status == 200)
        }
    }

    @Test func onePackage_withForecast_andUnknownKeyIs404() async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 5) { gw in
            let list = try await gw.request("GET", "/v1/packages")
            let key = try #require((list.json["items"] as? [[String: Any]])?.first?["key"] as? String)
            let path = "/v1/packages/" + key.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(.init(charactersIn: ":")))!
            let one = try await gw.request("GET", path)
            #expect(one.status == 200, "\(one.text)")
            #expect(one.json["key"] as? String == key)
            #expect(one.json["forecast"] != nil)
            let missing = try await gw.request("GET", "/v1/packages/bce:prod:bj:tp-nothere")
            #expect(missing.status == 404)
            #expect(missing.code == "notFound")
            let malformed = try await gw.request("GET", "/v1/packages/not-a-key")
            #expect(malformed.status == 400 || malformed.status == 404)
        }
    }

    @Test func usage_seriesFromSnapshots_andBadRangesAre422() async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 5) { gw in
            let list = try await gw.request("GET", "/v1/packages")
            let key = try #require((list.json["items"] as? [[String: Any]])?.first?["key"] as? String)
            let usage = try await gw.request("GET", "/v1/packages/\(key)/usage?step=1h")
            #expect(usage.status == 200, "\(usage.text)")
            let points = usage.json["points"] as? [[String: Any]] ?? []
            #expect(!points.isEmpty, "\(usage.text)")
            let backwards = try await gw.request("GET", "/v1/packages/\(key)/usage?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z")
            #expect(backwards.status == 200, "an empty range has no points")
            #expect((backwards.json["points"] as? [Any])?.isEmpty == true)
            let tooLong = try await gw.request("GET", "/v1/packages/\(key)/usage?from=2000-01-01T00:00:00Z&step=1h")
            #expect(tooLong.status == 200, "cut to the latest 31 days")
            let from = try #require(RFC3339.parse(tooLong.json["from"] as? String ?? ""))
            let to = try #require(RFC3339.parse(tooLong.json["to"] as? String ?? ""))
            #expect(abs(to.timeIntervalSince(from) - 31 * 86400) < 1)
            let badStep = try await gw.request("GET", "/v1/packages/\(key)/usage?step=5m")
            #expect(badStep.status == 422)
            let unknown = try await gw.request("GET", "/v1/packages/bce:prod:bj:tp-nothere/usage")
            #expect(unknown.status == 404)
        }
    }

    @Test func summary_hasStrongETag_andIfNoneMatchGives304() async throws {
        try await GatewayHarness.with { gw in
            let first = try await gw.request("GET", "/v1/summary?groupBy=region")
            #expect(first.status == 200)
            let etag = try #require(first.header("ETag"))
            #expect(etag.hasPrefix("\""))
            #expect((first.json["groups"] as? [Any])?.count == 2)
            #expect((first.json["sources"] as? [Any])?.count == 2)
            let again = try await gw.request("GET", "/v1/summary?groupBy=region", headers: [("If-None-Match", etag)])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            for groupBy in ["account", "policy", "status"] {
                let r = try await gw.request("GET", "/v1/summary?groupBy=\(groupBy)")
                #expect(r.status == 200)
            }
        }
    }

    @Test func failingSource_isReportedNotCountedAsZero() async throws {
        try await GatewayHarness.with { gw in
            var fault = SimFault()
            fault.errorRate = 1
            fault.errorStatus = 403
            fault.errorCode = "AccessDenied"
            gw.sim.setFault(region: "gz", fault)
            let refresh = try await gw.request("POST", "/v1/refresh?region=gz", key: "write")
            #expect(refresh.status == 200)
            #expect(refresh.text.contains("readFailed"), "\(refresh.text)")
            try await gw.app.views.rebuild()
            let sources = try await gw.request("GET", "/v1/sources")
            let gz = (sources.json["items"] as? [[String: Any]] ?? []).first { $0["region"] as? String == "gz" }
            #expect(gz?["lastError"] as? [String: Any] != nil, "\(sources.text)")
            let unknown = try await gw.request("POST", "/v1/refresh?region=mars", key: "write")
            #expect(unknown.status == 404)
        }
    }
}
