import Foundation
import Testing
import TPGWCore
@testable import TPGWTencent
@testable import tencent_sim

/// tencent-sim on its own (pure state, signed requests through its handler): it must behave as Tencent documents,
/// not as our client expects, or client tests against it prove nothing.
@Suite struct TencentSimulatorTests {
    static let now = Date()

    static func simulator(packages: Int = 30) -> TencentSimulator {
        TencentSimulator(
            configuration: .init(regions: ["ap-guangzhou"], secretID: TencentSimHarness.secretID, secretKey: TencentSimHarness.secretKey,
                                 packagesPerRegion: packages),
            realNow: now)
    }

    static func request(
        _ action: String, _ body: String, method: String = "POST", query: String = "", region: String = "ap-guangzhou",
        timestamp: Date = now, secretKey: String = TencentSimHarness.secretKey, version: String = "2017-03-12"
    ) -> TencentSimRequest {
        let ts = Int64(timestamp.timeIntervalSince1970)
        let contentType = method == "GET" ? "application/x-www-form-urlencoded" : "application/json"
        let bytes = method == "GET" ? [] : Array(body.utf8)
        let auth = TC3Signer(credentials: TencentCredentials(secretID: TencentSimHarness.secretID, secretKey: secretKey))
            .authorization(method: method, host: "127.0.0.1:9300", contentType: contentType, query: query, body: bytes, timestamp: ts)
        return TencentSimRequest(
            method: method, path: "/", rawQuery: query,
            headers: [("Host", "127.0.0.1:9300"), ("Content-Type", contentType), ("X-TC-Action", action), ("X-TC-Version", version),
                      ("X-TC-Region", region), ("X-TC-Timestamp", String(ts)), ("Authorization", auth)],
            body: bytes)
    }

    static func errorCode(_ reply: TencentSimReply) -> String? {
        (try? JSONValue.parse(Array(reply.body.utf8)))?["Response"]?["Error"]?["Code"]?.stringValue
    }

    @Test func describe_withoutLimit_returns20_andTotalCountOfAll() throws {
        var sim = Self.simulator()
        let reply = sim.handle(Self.request("DescribeTrafficPackages", "{}"), realNow: Self.now)
        let page = try TencentFixture.decoder.listPage(Array(reply.body.utf8))
        #expect(reply.status == 200)
        #expect(page.totalCount == 30)
        #expect(page.received == 20)
    }

    @Test(arguments: [
        (#"{"Limit":101}"#, "InvalidParameterValue.LimitExceeded"), (#"{"Limit":0}"#, "InvalidParameterValue.Range"),
        (#"{"Offset":-1}"#, "InvalidParameterValue.Range"), (#"{"Foo":1}"#, "UnknownParameter"),
        (#"{"TrafficPackageIds":["tfp-1"],"Filters":[{"Name":"status","Values":["AVAILABLE"]}]}"#, "InvalidParameter.Coexist"),
        (#"{"Filters":[{"Name":"status","Values":["DELETED"]}]}"#, "InvalidParameterValue"),
        (#"{"Filters":[{"Name":"traffic-package-id","Values":["tfp-1"]}]}"#, "InvalidParameter.InvalidFilter"),
        ("not json", "InvalidParameter"),
    ])
    func describe_refusesWhatTencentRefuses_withHTTP200(_ body: String, _ code: String) {
        var sim = Self.simulator()
        let reply = sim.handle(Self.request("DescribeTrafficPackages", body), realNow: Self.now)
        #expect(reply.status == 200)
        #expect(Self.errorCode(reply) == code)
    }

    @Test(arguments: [
        (#"{"TrafficAmount":10,"ClientToken":"t"}"#, "UnknownParameter"), (#"{"TrafficAmount":600}"#, "InvalidParameterValue"),
        (#"{}"#, "MissingParameter"), (#"{"TrafficAmount":10,"TrafficPackageCount":21}"#, "InvalidParameterValue.Range"),
        (#"{"TrafficAmount":10,"DeductType":"NIGHT"}"#, "InvalidParameterValue"),
    ])
    func create_refusesWhatTencentRefuses(_ body: String, _ code: String) {
        var sim = Self.simulator()
        #expect(Self.errorCode(sim.handle(Self.request("CreateTrafficPackages", body), realNow: Self.now)) == code)
        #expect(sim.packageCount(region: "ap-guangzhou") == 30)
    }

    @Test func create_twiceWithTheSameBody_buysTwice_thereIsNoIdempotency() {
        var sim = Self.simulator()
        let r = Self.request("CreateTrafficPackages", #"{"TrafficAmount":10,"TrafficPackageCount":2}"#)
        _ = sim.handle(r, realNow: Self.now)
        _ = sim.handle(r, realNow: Self.now)
        #expect(sim.packageCount(region: "ap-guangzhou") == 34)
    }

    @Test func auth_refusesStaleTimestampsWrongKeysAndUnknownIds() {
        var sim = Self.simulator()
        #expect(Self.errorCode(sim.handle(Self.request("DescribeTrafficPackages", "{}", timestamp: Self.now.addingTimeInterval(-301)), realNow: Self.now))
            == "AuthFailure.SignatureExpire")
        #expect(Self.errorCode(sim.handle(Self.request("DescribeTrafficPackages", "{}", timestamp: Self.now.addingTimeInterval(299)), realNow: Self.now)) == nil)
        #expect(Self.errorCode(sim.handle(Self.request("DescribeTrafficPackages", "{}", secretKey: "other"), realNow: Self.now))
            == "AuthFailure.SignatureFailure")
        var r = Self.request("DescribeTrafficPackages", "{}")
        r.headers = r.headers.map { $0.0 == "Authorization" ? ($0.0, $0.1.replacingOccurrences(of: TencentSimHarness.secretID, with: "AKIDnobody")) : $0 }
        #expect(Self.errorCode(sim.handle(r, realNow: Self.now)) == "AuthFailure.SecretIdNotFound")
    }

    @Test func auth_coversTheBodyAsSent() {
        var sim = Self.simulator()
        var r = Self.request("DescribeTrafficPackages", #"{"Offset":0,"Limit":100}"#)
        r.body = Array(#"{"Offset": 0, "Limit": 100}"#.utf8)
        #expect(Self.errorCode(sim.handle(r, realNow: Self.now)) == "AuthFailure.SignatureFailure")
    }

    @Test func get_withFlattenedQuery_isVerifiedAndFiltered() throws {
        var sim = Self.simulator()
        let q = "Filters.0.Name=status&Filters.0.Values.0=EXPIRED&Filters.0.Values.1=EXHAUSTED&Limit=100&Offset=0"
        let reply = sim.handle(Self.request("DescribeTrafficPackages", "", method: "GET", query: q), realNow: Self.now)
        let page = try TencentFixture.decoder.listPage(Array(reply.body.utf8))
        #expect(page.received > 0)
        #expect(page.packages.allSatisfy { $0.status == .expired || $0.status == .exhausted })
    }

    @Test(arguments: [("ap-nowhere", "UnsupportedRegion"), ("", "MissingParameter")])
    func regionHeader_choosesTheData(_ region: String, _ code: String) {
        var sim = Self.simulator()
        #expect(Self.errorCode(sim.handle(Self.request("DescribeTrafficPackages", "{}", region: region), realNow: Self.now)) == code)
    }

    @Test func versionAndAction_areChecked() {
        var sim = Self.simulator()
        #expect(Self.errorCode(sim.handle(Self.request("DescribeTrafficPackages", "{}", version: "2020-01-01"), realNow: Self.now)) == "NoSuchVersion")
        #expect(Self.errorCode(sim.handle(Self.request("DescribeNothing", "{}"), realNow: Self.now)) == "InvalidAction")
    }

    @Test func seededPackages_haveDeadlineOneMonthOrSixMonthsMinusOneSecond_andFractionalGB() throws {
        var sim = Self.simulator(packages: 60)
        let reply = sim.handle(Self.request("DescribeTrafficPackages", #"{"Limit":100}"#), realNow: Self.now)
        let page = try TencentFixture.decoder.listPage(Array(reply.body.utf8))
        #expect(page.received == 60)
        #expect(page.packages.contains { $0.usedBytes % (1 << 30) != 0 })
        for p in page.packages {
            let end = p.expiresAt.timeIntervalSince(p.createdAt) / 86_400
            #expect((28...31).contains(end) || (181...184).contains(end))
        }
    }

    @Test func usageMovesWithSimulatedTime_andPackagesRunOutOrExpire() {
        var sim = Self.simulator(packages: 30)
        let before = sim.packages(region: "ap-guangzhou")
        let available = before.filter { $0.status == "AVAILABLE" && $0.burnGBPerHour > 0 }
        #expect(!available.isEmpty)
        // Frozen (time scale 0) until advanced: a request at a later real time moves nothing.
        _ = sim.handle(Self.request("DescribeTrafficPackages", #"{"Offset":0,"Limit":100}"#), realNow: Self.now.addingTimeInterval(3600))
        #expect(sim.packages(region: "ap-guangzhou").map(\.usedGB) == before.map(\.usedGB))

        sim.advance(seconds: 2 * 86400, real: Self.now)
        let after = Dictionary(uniqueKeysWithValues: sim.packages(region: "ap-guangzhou").map { ($0.id, $0) })
        for p in available {
            let q = after[p.id]!
            #expect(q.usedGB > p.usedGB || q.status != "AVAILABLE", "\(p.id) did not move")
            #expect(q.usedGB <= q.totalGB)
        }
        // Ended packages do not move.
        for p in before where p.status != "AVAILABLE" { #expect(after[p.id]!.usedGB == p.usedGB) }

        // A year later every package has run out or expired.
        sim.advance(seconds: 400 * 86400, real: Self.now)
        #expect(sim.packages(region: "ap-guangzhou").allSatisfy { $0.status != "AVAILABLE" })
        #expect(sim.packages(region: "ap-guangzhou").contains { $0.status == "EXHAUSTED" })
    }
}
