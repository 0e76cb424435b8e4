import Foundation
import Testing
import TPGWBCE
import TPGWCore
@testable import bce_sim

@Suite struct SimulatorTests {
    static let t0 = RFC3339.parse("2026-01-10T00:00:00Z")!

    static func signed(_ method: String, _ path: String, query: [(String, String)] = [], body: String = "", at: Date, sk: String = "SK") -> SimRequest {
        let headers = BCESigner(credentials: .init(accessKeyID: "AK", secretAccessKey: sk)).signedHeaders(
            method: method, host: "127.0.0.1:9100", path: path, query: query, date: at)
        let raw = query.map { PercentCoding.encode($0.0) + "=" + PercentCoding.encode($0.1) }.joined(separator: "&")
        return SimRequest(method: method, path: path, rawQuery: raw, headers: headers, body: Array(body.utf8))
    }

    static func sim(packages: Int = 0, timeScale: Double = 0) -> Simulator {
        var c = Simulator.Configuration(regions: ["bj"], accessKeyID: "AK", secretAccessKey: "SK")
        c.packagesPerRegion = packages
        c.timeScale = timeScale
        return Simulator(configuration: c, realNow: t0)
    }

    static func create(_ s: inout Simulator, months: Int = 1, capacity: String = "10G", policy: String = "FullTimeDurationPackage") -> SimPackage {
        let body = "{\"reservationLength\":\(months),\"capacity\":\"\(capacity)\",\"deductPolicy\":\"\(policy)\"}"
        let r = s.handle(signed("POST", "/v1/eiptp", query: [("clientToken", UUID().uuidString)], body: body, at: t0), region: "bj", realNow: t0)
        let id = String(r.body.split(separator: "\"")[3])
        return s.package(region: "bj", id: id)!
    }

    @Test func offPeakSeconds_countOnlyBeijingMidnightToEight() {
        #expect(SimClock.offPeakSeconds(from: Self.t0, to: Self.t0.addingTimeInterval(86_400)) == 8 * 3600)
        // 16:00-24:00 UTC is 00:00-08:00 UTC+8.
        #expect(SimClock.offPeakSeconds(from: Self.t0.addingTimeInterval(15 * 3600), to: Self.t0.addingTimeInterval(17 * 3600)) == 3600)
        #expect(SimClock.offPeakSeconds(from: Self.t0, to: Self.t0.addingTimeInterval(16 * 3600)) == 0)
    }

    @Test func fullTimeUsage_growsWithSimulatedTime() {
        var s = Self.sim()
        let p = Self.create(&s)
        s.advance(seconds: 3600, real: Self.t0)
        let after = s.package(region: "bj", id: p.id)!
        #expect(abs(after.used - p.ratePerHour) < 1)
    }

    @Test func offPeakUsage_onlyInTheNightWindow() {
        var s = Self.sim()
        let p = Self.create(&s, policy: "TimeDurationPackage")
        s.advance(seconds: 16 * 3600, real: Self.t0)  // 00:00-16:00 UTC = 08:00-24:00 Beijing
        #expect(s.package(region: "bj", id: p.id)!.used == 0)
        s.advance(seconds: 2 * 3600, real: Self.t0)
        #expect(abs(s.package(region: "bj", id: p.id)!.used - 2 * p.ratePerHour) < 1)
    }

    @Test func packages_becomeUsedUpExpired_andVanishSevenDaysAfterExpiry() {
        var s = Self.sim()
        let p = Self.create(&s)
        s.advance(seconds: 28 * 86_400, real: Self.t0)
        let t = s.simulatedNow(real: Self.t0)
        let status = s.package(region: "bj", id: p.id)!.status(at: t)
        #expect(status == .usedUp || status == .active)
        s.advance(seconds: 4 * 86_400, real: Self.t0)  // past 2026-02-10
        #expect(s.package(region: "bj", id: p.id)!.status(at: s.simulatedNow(real: Self.t0)) == .expired)
        s.advance(seconds: 7 * 86_400, real: Self.t0)
        #expect(s.package(region: "bj", id: p.id) == nil)
        #expect(s.packageCount(region: "bj") == 0)
    }

    @Test func usage_neverExceedsCapacity() {
        var p = SimPackage(
            id: "tp-1", policy: .fullTime, packageType: "WebOutBytes", months: 1, capacityName: "10G", capacity: 10 << 30, used: 0,
            ratePerHour: Double(1 << 40), createTime: Self.t0, activeTime: Self.t0, expireTime: Self.t0.addingTimeInterval(86_400 * 30))
        p.consume(from: Self.t0, to: Self.t0.addingTimeInterval(3600))
        #expect(Int64(p.used) == p.capacity)
        #expect(p.status(at: Self.t0.addingTimeInterval(3600)) == .usedUp)
    }

    @Test func list_filtersByStatusAndPolicy_andMarkerIsInclusive() {
        var s = Self.sim(packages: 60)
        let all = s.regions["bj"]!.order
        let r = s.handle(Self.signed("GET", "/v1/eiptp", query: [("marker", all[10]), ("maxKeys", "5")], at: Self.t0), region: "bj", realNow: Self.t0)
        #expect(r.status == 200)
        #expect(r.body.contains("\"nextMarker\":\"\(all[15])\""))
        #expect(r.body.contains("\"packageList\":[{\"id\":\"\(all[10])\""))
        let f = s.handle(Self.signed("GET", "/v1/eiptp", query: [("deductPolicy", "TimeDurationPackage")], at: Self.t0), region: "bj", realNow: Self.t0)
        #expect(!f.body.contains("FullTimeDurationPackage"))
    }

    @Test func errorRateFault_failsAboutThatShareOfRequests_reproduciblyBySeed() {
        func failures() -> Int {
            var s = Self.sim(packages: 3)
            var f = SimFault()
            f.errorRate = 0.3
            f.errorStatus = 503
            f.errorCode = "ServiceUnavailable"
            _ = s.setFault(f, region: "bj")
            return (0..<400).filter { _ in
                s.handle(Self.signed("GET", "/v1/eiptp", at: Self.t0), region: "bj", realNow: Self.t0).status == 503
            }.count
        }
        let n = failures()
        #expect((80...160).contains(n), "\(n) of 400 failed at a 30% error rate")
        #expect(failures() == n)
    }

    @Test func list_pagesByInclusiveMarker_includingMarkersBetweenAndPastIds() {
        var s = Self.sim(packages: 30)
        let all = s.regions["bj"]!.order
        func firstID(_ marker: String) -> String? {
            let r = s.handle(Self.signed("GET", "/v1/eiptp", query: [("marker", marker), ("maxKeys", "1")], at: Self.t0), region: "bj", realNow: Self.t0)
            return r.body.split(separator: "\"").dropFirst().split(separator: "packageList").last.flatMap { rest in
                rest.firstIndex(of: "id").map { rest[rest.index($0, offsetBy: 2)] }.map(String.init)
            }
        }
        #expect(firstID(all[7]) == all[7])
        #expect(firstID(all[7] + "0") == all[8])  // between two ids: the next one
        #expect(firstID("zzzz") == nil)           // past the end: an empty page
        #expect(Simulator.lowerBound(all, all[0]) == 0 && Simulator.lowerBound(all, "zzzz") == all.count)
    }

    @Test(arguments: [
        (-3600.0, "RequestExpired"), (2400.0, "RequestExpired"), (0.0, "ok"),
    ])
    func signatureTime_isCheckedAgainstRealClock(_ skew: TimeInterval, _ expected: String) {
        var s = Self.sim()
        let r = s.handle(Self.signed("GET", "/v1/eiptp", at: Self.t0.addingTimeInterval(skew)), region: "bj", realNow: Self.t0)
        #expect(expected == "ok" ? r.status == 200 : r.body.contains(expected))
    }

    @Test func unsignedOrTamperedRequests_areRejected() {
        var s = Self.sim()
        var req = Self.signed("GET", "/v1/eiptp", query: [("maxKeys", "10")], at: Self.t0)
        req.rawQuery = "maxKeys=11"
        #expect(s.handle(req, region: "bj", realNow: Self.t0).body.contains("SignatureDoesNotMatch"))
        let wrong = Self.signed("GET", "/v1/eiptp", at: Self.t0, sk: "other")
        #expect(s.handle(wrong, region: "bj", realNow: Self.t0).status == 400)
        var noHost = Self.signed("GET", "/v1/eiptp", at: Self.t0)
        noHost.headers = noHost.headers.map { $0.0 == "Authorization" ? ($0.0, $0.1.replacingOccurrences(of: "/host;x-bce-date/", with: "/x-bce-date/")) : $0 }
        #expect(s.handle(noHost, region: "bj", realNow: Self.t0).body.contains("InvalidHTTPAuthHeader"))
    }

    @Test func everyResponse_carriesARequestID() {
        var s = Self.sim()
        let r = s.handle(SimRequest(method: "GET", path: "/v1/eiptp", rawQuery: "", headers: [], body: []), region: "bj", realNow: Self.t0)
        #expect(!r.requestID.isEmpty && r.body.contains(r.requestID))
    }
}
