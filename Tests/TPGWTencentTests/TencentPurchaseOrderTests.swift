import Foundation
import Testing
import TPGWCore
@testable import TPGWTencent

/// Orders, the capacity table, reconciliation, request bodies and endpoints: the pure parts around a call.
@Suite struct TencentPurchaseOrderTests {
    @Test(arguments: [
        (10, 1), (50, 1), (512, 1), (1024, 1), (5120, 1), (51200, 1),
        (60, 6), (300, 6), (3072, 6), (6144, 6), (30720, 6), (61440, 6), (307200, 6),
    ])
    func soldSizes_fixTheValidity(_ gb: Int, _ months: Int) {
        #expect(TencentCapacityTable.validityMonths(gigabytes: gb) == months)
        #expect(TencentPurchaseOrder(gigabytes: gb).problem == nil)
    }

    @Test(arguments: [0, 1, 100, 600, 1000, 10240, -10])
    func unsoldSizes_areRefusedBeforeSending(_ gb: Int) {
        #expect(TencentPurchaseOrder(gigabytes: gb).problem != nil)
    }

    @Test(arguments: [(0, false), (1, true), (20, true), (21, false)])
    func packageCount_mustBeOneToTwenty(_ count: Int, _ ok: Bool) {
        #expect((TencentPurchaseOrder(gigabytes: 10, count: count).problem == nil) == ok)
    }

    @Test func body_hasNoClientToken_andFixedKeyOrder() {
        let body = String(decoding: TencentPurchaseOrder(gigabytes: 5120, count: 3, deductType: .idleTime).jsonBody, as: UTF8.self)
        #expect(body == #"{"TrafficAmount":5120,"TrafficPackageCount":3,"DeductType":"IDLE_TIME"}"#)
    }

    @Test func reconciliation_matchesSameSizeAndKindCreatedSinceTheAttempt() {
        let t = RFC3339.parse("2026-12-02T05:00:00Z")!
        let order = TencentPurchaseOrder(gigabytes: 10, count: 2)
        func pkg(_ gb: Int64, _ type: TencentDeductType, _ created: TimeInterval) -> TencentPackage {
            TencentPackage(id: "tfp-x", status: .available, deductType: type, totalBytes: gb << 30, usedBytes: 0,
                           createdAt: t.addingTimeInterval(created), deadline: t.addingTimeInterval(86_400))
        }
        #expect(order.couldHaveBought(pkg(10, .fullTime, 2), attemptedAt: t))
        #expect(order.couldHaveBought(pkg(10, .fullTime, -60), attemptedAt: t))   // within the clock slack
        #expect(!order.couldHaveBought(pkg(10, .fullTime, -3600), attemptedAt: t))
        #expect(!order.couldHaveBought(pkg(50, .fullTime, 2), attemptedAt: t))
        #expect(!order.couldHaveBought(pkg(10, .idleTime, 2), attemptedAt: t))
    }

    @Test func filterBody_alwaysSendsLimit_andRefusesIdsWithFilters() {
        #expect(String(decoding: TencentListFilter().jsonBody(offset: 200, limit: 100), as: UTF8.self) == #"{"Offset":200,"Limit":100}"#)
        let f = TencentListFilter(statuses: [.available, .exhausted], names: ["未命名"])
        #expect(String(decoding: f.jsonBody(offset: 0, limit: 100), as: UTF8.self)
            == #"{"Filters":[{"Name":"status","Values":["AVAILABLE","EXHAUSTED"]},{"Name":"traffic-package-name","Values":["未命名"]}],"Offset":0,"Limit":100}"#)
        #expect(TencentListFilter(ids: ["tfp-1"], statuses: [.available]).problem != nil)
        #expect(TencentListFilter(statuses: [.refunded]).problem != nil)
    }

    @Test func endpoint_hostHeaderOmitsDefaultPortsOnly() {
        let c = TencentCredentials(secretID: "a", secretKey: "b")
        #expect(TencentEndpoint(account: "a", region: "r", credentials: c).hostHeader == "vpc.tencentcloudapi.com")
        #expect(TencentEndpoint(account: "a", region: "r", credentials: c, baseURL: "http://127.0.0.1:9300/").hostHeader == "127.0.0.1:9300")
        #expect(TencentEndpoint(account: "a", region: "r", credentials: c, baseURL: "https://vpc.intl.tencentcloudapi.com:443").hostHeader == "vpc.intl.tencentcloudapi.com")
        #expect(TencentEndpoint(account: "a", region: "r", credentials: c).source.provider == "tencent")
    }
}
