import Foundation
import Testing
import TPGWCore
@testable import TPGWGateway

@Suite struct PurchaseRequestTests {
    let accounts = [
        "prod": PurchaseRequest.Account(regions: ["bj", "gz"], profile: .bce),
        "tc": PurchaseRequest.Account(regions: ["ap-guangzhou"], profile: .tencent),
    ]

    @Test func acceptsAValidBody() throws {
        let r = try PurchaseRequest.validate(body: Array(#"{"account":"prod","region":"bj","reservationLength":6,"capacity":"60G","policy":"offPeak"}"#.utf8), accounts: accounts)
        #expect(r == PurchaseRequest(account: "prod", region: "bj", reservationLength: 6, capacity: "60G", policy: .offPeak, lineType: "WebOutBytes"))
    }

    @Test(arguments: [
        (#"{"account":"nope","region":"bj","reservationLength":1,"capacity":"10G"}"#, "no account nope"),
        (#"{"account":"prod","region":"su","reservationLength":1,"capacity":"10G"}"#, "does not watch region su"),
    ])
    func unconfiguredAccountOrRegion_isNotFound(body: String, message: String) {
        #expect {
            try PurchaseRequest.validate(body: Array(body.utf8), accounts: accounts)
        } throws: { error in
            guard let e = error as? AppError else { return false }
            return e.code == .notFound && e.message.contains(message)
        }
    }

    @Test(arguments: [
        (#"{"account":"prod","region":"bj","reservationLength":12,"capacity":"10G"}"#, ["capacity"]),
        (#"{"account":"prod","region":"bj","reservationLength":"1","capacity":10}"#, ["capacity", "reservationLength"]),
        (#"{"account":"prod","region":"bj","reservationLength":1e300,"capacity":"10G","policy":"sometimes","x":1}"#, ["policy", "reservationLength", "x"]),
        (#"{}"#, ["account", "capacity", "region", "reservationLength"]),
    ])
    func rejectsEachBadFieldByName(body: String, fields: [String]) {
        do {
            _ = try PurchaseRequest.validate(body: Array(body.utf8), accounts: accounts)
            Issue.record("expected validation failure")
        } catch let e as AppError {
            #expect(e.code == .validationFailed)
            #expect(e.fieldErrors.map(\.field).sorted() == fields)
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func tencentOrder_sizeFixesTheValidity_andCountIsOneToTwenty() throws {
        let r = try PurchaseRequest.validate(body: Array(#"{"account":"tc","region":"ap-guangzhou","capacity":"3T","count":20,"policy":"offPeak"}"#.utf8), accounts: accounts)
        #expect(r.provider == "tencent" && r.reservationLength == 6 && r.count == 20 && r.policy == .offPeak)
        #expect(r.tencentOrder.gigabytes == 3072 && r.tencentOrder.count == 20 && r.tencentOrder.problem == nil)
        #expect(r.canonical.hasSuffix("|x20") && r.json.contains("\"count\":20") && !r.json.contains("lineType"))
        // What the ledger stores validates again (the reconciler re-reads it).
        #expect(try PurchaseRequest.validate(body: Array(r.json.utf8), accounts: accounts) == r)
        // One package: the canonical form and JSON are those of rows made before `count` existed.
        let one = try PurchaseRequest.validate(body: Array(#"{"account":"prod","region":"bj","reservationLength":1,"capacity":"10G"}"#.utf8), accounts: accounts)
        #expect(one.canonical == "prod|bj|1|10G|fullTime|WebOutBytes" && !one.json.contains("\"count\""))
    }

    @Test(arguments: [
        (#"{"account":"tc","region":"ap-guangzhou","capacity":"100G"}"#, ["capacity"]),
        (#"{"account":"tc","region":"ap-guangzhou","capacity":"10G","reservationLength":6}"#, ["reservationLength"]),
        (#"{"account":"tc","region":"ap-guangzhou","capacity":"10G","count":21}"#, ["count"]),
        (#"{"account":"tc","region":"ap-guangzhou","capacity":"10G","count":0}"#, ["count"]),
        (#"{"account":"tc","region":"ap-guangzhou","capacity":"10G","lineType":"WebOutBytes"}"#, ["lineType"]),
        (#"{"account":"prod","region":"bj","capacity":"10G","reservationLength":1,"count":2}"#, ["count"]),
    ])
    func providerRules_rejectEachBadFieldByName(body: String, fields: [String]) {
        do {
            _ = try PurchaseRequest.validate(body: Array(body.utf8), accounts: accounts)
            Issue.record("expected validation failure")
        } catch let e as AppError {
            #expect(e.code == .validationFailed)
            #expect(e.fieldErrors.map(\.field).sorted() == fields, "\(e.fieldErrors)")
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test(arguments: ["", "{", "[1]", "null", "\"x\""])
    func rejectsNonObjectBodies(body: String) {
        #expect(throws: AppError.self) { try PurchaseRequest.validate(body: Array(body.utf8), accounts: accounts) }
    }

    @Test func clientTokenIsDeterministicShort_andScopedToTheAPIKey() {
        let a = PurchaseRequest.clientToken(apiKeyID: 1, idempotencyKey: "k1")
        #expect(a == PurchaseRequest.clientToken(apiKeyID: 1, idempotencyKey: "k1"))
        #expect(a != PurchaseRequest.clientToken(apiKeyID: 1, idempotencyKey: "k2"))
        #expect(a != PurchaseRequest.clientToken(apiKeyID: 2, idempotencyKey: "k1"))
        #expect(a.count <= 64 && a.allSatisfy(\.isASCII))
    }
}

@Suite struct PackageQueryTests {
    @Test func parsesFiltersSortAndLimit() throws {
        let q = try PackageQuery.parse([("region", "bj"), ("status", "active"), ("sort", "-usedRatio"), ("limit", "50"), ("minUsedRatio", "0.8")])
        #expect(q.region == "bj" && q.status == .active && q.sort == .usedRatio && q.descending && q.limit == 50 && q.minUsedRatio == 0.8)
    }

    @Test(arguments: [("limit", "-1"), ("limit", "1001"), ("limit", "ten"), ("status", "RUNNING"), ("sort", "price"),
                      ("minUsedRatio", "2"), ("expiresBefore", "yesterday"), ("bogus", "1")])
    func rejectsBadParameters(name: String, value: String) {
        do {
            _ = try PackageQuery.parse([(name, value)])
            Issue.record("expected failure")
        } catch let e as AppError {
            #expect(e.code == .validationFailed && e.fieldErrors.first?.field == name)
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func rejectsCursorFromAnotherQuery() throws {
        let q = try PackageQuery.parse([("region", "bj")])
        let cursor = PageCursor(sortValue: "1", lastKey: "k").encode(queryFingerprint: q.fingerprint)
        #expect(try PackageQuery.parse([("region", "bj"), ("cursor", cursor)]).cursor != nil)
        #expect(throws: AppError.self) { try PackageQuery.parse([("region", "gz"), ("cursor", cursor)]) }
    }
}

@Suite struct UsageSeriesTests {
    let t0 = Date(timeIntervalSince1970: 1_795_305_600) // 2026-11-22T00:00:00Z

    @Test func bucketsByHourWithGapsAndNonNegativeDeltas() {
        let obs: [(at: Date, usedBytes: Int64)] = [
            (t0.addingTimeInterval(60), 100), (t0.addingTimeInterval(1800), 150),
            (t0.addingTimeInterval(3600 + 60), 300),
            (t0.addingTimeInterval(3 * 3600), 500),
            (t0.addingTimeInterval(4 * 3600), 450),
        ]
        let s = UsageSeries.make(key: "k", observations: obs, from: t0, to: t0.addingTimeInterval(86400), step: .hour)
        #expect(s.points.map(\.usedBytes) == [150, 300, 500, 450])
        #expect(s.points.map(\.deltaBytes) == [nil, 150, nil, 0])
        #expect(s.points.map(\.t) == [t0, t0.addingTimeInterval(3600), t0.addingTimeInterval(3 * 3600), t0.addingTimeInterval(4 * 3600)])
    }

    @Test func bucketsByDay() {
        let obs: [(at: Date, usedBytes: Int64)] = [(t0, 10), (t0.addingTimeInterval(86400 + 5), 40), (t0.addingTimeInterval(2 * 86400 + 5), 90)]
        let s = UsageSeries.make(key: "k", observations: obs, from: t0, to: t0.addingTimeInterval(3 * 86400), step: .day)
        #expect(s.points.map(\.deltaBytes) == [nil, 30, 50])
    }
}
