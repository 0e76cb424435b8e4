import Foundation
import Testing
import TPGWCore
@testable import TPGWTencent

/// A `TrafficPackage` JSON object with every field overridable (a value of nil leaves the field out).
enum TencentFixture {
    static let source = SourceID(provider: "tencent", account: "acct", region: "ap-guangzhou")

    static func package(_ overrides: [String: String?] = [:]) -> String {
        var fields: [(String, String?)] = [
            ("TrafficPackageId", #""tfp-g67jlh1j""#), ("TrafficPackageName", #""未命名""#), ("TotalAmount", "10"),
            ("RemainingAmount", "10"), ("Status", #""AVAILABLE""#), ("CreatedTime", #""2022-08-31T11:42:37Z""#),
            ("Deadline", #""2022-09-30T11:42:36Z""#), ("DeductType", #""FULL_TIME""#), ("UsedAmount", "0"),
            ("TagSet", #"[{"Key":"aa","Value":"bb"}]"#),
        ]
        for (k, v) in overrides {
            if let i = fields.firstIndex(where: { $0.0 == k }) { fields[i].1 = v } else { fields.append((k, v)) }
        }
        return "{" + fields.compactMap { k, v in v.map { "\"\(k)\":\($0)" } }.joined(separator: ",") + "}"
    }

    static func page(_ packages: [String], total: Int? = nil) -> [UInt8] {
        Array(#"{"Response":{"TotalCount":\#(total ?? packages.count),"TrafficPackageSet":[\#(packages.joined(separator: ","))],"RequestId":"req-1"}}"#.utf8)
    }

    static let decoder = TencentWireDecoder(source: source, operation: "describe")
}

@Suite struct TencentWireDecoderTests {
    let decoder = TencentFixture.decoder

    @Test func documentationExample_decodesToBytesAndInclusiveDeadline() throws {
        let page = try decoder.listPage(TencentFixture.page([TencentFixture.package()]))
        #expect(page.totalCount == 1)
        #expect(page.requestID == "req-1")
        #expect(page.skipped.isEmpty)
        let p = try #require(page.packages.first)
        #expect(p.id == "tfp-g67jlh1j")
        #expect(p.name == "未命名")
        #expect(p.totalBytes == 10 * 1_073_741_824)
        #expect(p.usedBytes == 0)
        #expect(p.remainingBytes == Int64(10) * 1_073_741_824)
        #expect(p.status == .available)
        #expect(p.deductType == .fullTime)
        #expect(p.createdAt == RFC3339.parse("2022-08-31T11:42:37Z"))
        #expect(p.deadline == RFC3339.parse("2022-09-30T11:42:36Z"))
        #expect(p.expiresAt == RFC3339.parse("2022-09-30T11:42:37Z"))
        #expect(p.tags == [TencentTag(key: "aa", value: "bb")])
        #expect(String(decoding: p.raw, as: UTF8.self) == TencentFixture.package())
    }

    /// Deadline is the last valid second: valid at it, not one second later.
    @Test(arguments: [
        ("2022-09-30T11:42:36Z", true), ("2022-09-30T11:42:35Z", true), ("2022-09-30T11:42:37Z", false),
        ("2022-08-31T11:42:37Z", true), ("2022-08-31T11:42:36Z", false),
    ])
    func deadline_isInclusiveToTheSecond(_ at: String, _ valid: Bool) throws {
        let p = try #require(try decoder.listPage(TencentFixture.page([TencentFixture.package()])).packages.first)
        let now = try #require(RFC3339.parse(at))
        #expect((now >= p.createdAt && now < p.expiresAt) == valid)
    }

    @Test(arguments: [
        ("10", Int64(10) << 30), ("0", 0), ("0.5", Int64(1) << 29), ("1.25", Int64(5) << 28), ("3072", Int64(3) << 40),
        ("307200", Int64(300) << 40), ("0.0001", 107_374), ("9.3132e-10", 1), ("1e-12", 0), ("2.5E3", Int64(2500) << 30),
        ("1073741824", Int64(1) << 60), ("1073741823.9999999", 1_152_921_504_606_846_848),
    ])
    func gigabytes_becomeRoundedBinaryBytes(_ text: String, _ bytes: Int64) {
        #expect(TencentAmount.bytes(gigabytesText: text) == .success(bytes))
    }

    @Test(arguments: ["1e400", "-1", "-0.0001", "8589934592", "8589934591.999999", "1073741824.000001", "1e30", "nan", "inf", "abc"])
    func unrepresentableGigabytes_areRejectedWithoutTrapping(_ text: String) {
        if case .success(let v) = TencentAmount.bytes(gigabytesText: text) { Issue.record("\(text) gave \(v)") }
    }

    @Test func nonFiniteDoubles_areRejected() {
        for d in [Double.nan, .infinity, -.infinity, .greatestFiniteMagnitude] {
            if case .success = TencentAmount.bytes(gigabytes: d) { Issue.record("\(d) accepted") }
        }
    }

    @Test func usedAndTotal_areDecodedIndependently_evenWhenTheSumsDisagree() throws {
        let json = TencentFixture.package(["TotalAmount": "10", "UsedAmount": "3.3333", "RemainingAmount": "6.6666"])
        let p = try #require(try decoder.listPage(TencentFixture.page([json])).packages.first)
        #expect(p.totalBytes == 10 << 30)
        #expect(p.usedBytes == 3_579_103_622)
        #expect(p.remainingBytes == 7_158_207_244)
        #expect(p.usedBytes + p.remainingBytes! != p.totalBytes)
    }

    @Test(arguments: [
        ("AVAILABLE", TencentPackageStatus.available, "active"), ("EXPIRED", .expired, "expired"), ("EXHAUSTED", .exhausted, "usedUp"),
        ("REFUNDED", .refunded, "refunded"), ("DELETED", .deleted, "deleted"), ("FROZEN", .unknown("FROZEN"), "unknown"),
        ("", .unknown(""), "unknown"),
    ])
    func status_mapsToTencentStatusAndNeutralName(_ wire: String, _ status: TencentPackageStatus, _ neutral: String) throws {
        let p = try #require(try decoder.listPage(TencentFixture.page([TencentFixture.package(["Status": "\"\(wire)\""])])).packages.first)
        #expect(p.status == status)
        #expect(p.status.packageStatus?.rawValue == neutral)
        #expect(p.status.wireName == wire)
    }

    @Test func refundedAndDeleted_stayDistinctFromExpiredAndReleased() {
        #expect(TencentPackageStatus.refunded.packageStatus == .refunded)
        #expect(TencentPackageStatus.deleted.packageStatus == .deleted)
        for s in [TencentPackageStatus.refunded, .deleted] {
            #expect(s.packageStatus != .expired)
            #expect(s.packageStatus != .released)
        }
    }

    @Test(arguments: [
        (#""FULL_TIME""#, TencentDeductType.fullTime, "fullTime"), (#""IDLE_TIME""#, .idleTime, "offPeak"),
        (#""NIGHT_TIME""#, .unknown("NIGHT_TIME"), "unknown"),
    ])
    func deductType_mapsToPolicy(_ wire: String, _ type: TencentDeductType, _ neutral: String) throws {
        let p = try #require(try decoder.listPage(TencentFixture.page([TencentFixture.package(["DeductType": wire])])).packages.first)
        #expect(p.deductType == type)
        #expect((p.deductType.policy?.rawValue ?? "unknown") == neutral)
    }

    @Test func missingDeductType_isFullTime_asBeforeTheFieldExisted() throws {
        let p = try #require(try decoder.listPage(TencentFixture.page([TencentFixture.package(["DeductType": nil])])).packages.first)
        #expect(p.deductType == .fullTime)
    }

    @Test func neutralState_usesCreatedTimeAsStartAndDeadlinePlusOneSecondAsEnd() throws {
        let p = try #require(try decoder.listPage(TencentFixture.page([TencentFixture.package(["UsedAmount": "2.5", "DeductType": #""IDLE_TIME""#])])).packages.first)
        let observed = Date(timeIntervalSince1970: 1_700_000_000)
        let s = p.state(source: TencentFixture.source, observedAt: observed)
        #expect(s.key.description == "tencent:acct:ap-guangzhou:tfp-g67jlh1j")
        #expect(s.policy == .offPeak)
        #expect(s.status == .active)
        #expect(s.capacityBytes == 10 << 30)
        #expect(s.usedBytes == Int64(2.5 * 1_073_741_824))
        #expect(s.activatedAt == p.createdAt)
        #expect(s.expiresAt == p.deadline.addingTimeInterval(1))
        #expect(s.observedAt == observed)
    }

    /// Refunded and deleted packages are states of their own (not expired, not released); unknown ones are `unknown`.
    @Test(arguments: [(TencentPackageStatus.refunded, PackageStatus.refunded), (.deleted, .deleted), (.unknown("X"), .unknown)])
    func neutralState_keepsEndedEarlyStatesApart(_ status: TencentPackageStatus, _ expected: PackageStatus) {
        let p = TencentPackage(id: "tfp-1", status: status, deductType: .fullTime, totalBytes: 1, usedBytes: 0, createdAt: Date(), deadline: Date())
        #expect(p.state(source: TencentFixture.source, observedAt: Date()).status == expected)
    }

    /// One bad package is skipped and reported by id and field; its neighbours still decode.
    @Test(arguments: [
        ("TotalAmount", "1e400"), ("TotalAmount", "-10"), ("TotalAmount", "1e30"), ("TotalAmount", #""10""#), ("TotalAmount", nil),
        ("UsedAmount", "1e999"), ("UsedAmount", nil), ("UsedAmount", "-0.5"), ("RemainingAmount", "1e400"),
        ("CreatedTime", #""yesterday""#), ("CreatedTime", nil), ("Deadline", #""2022-09-30 11:42:36""#), ("Deadline", "12"),
        ("Status", nil), ("Status", "1"), ("DeductType", "true"), ("TrafficPackageName", "7"),
    ] as [(String, String?)])
    func unrepresentablePackage_isSkippedAndReported_notFailingThePage(_ field: String, _ value: String?) throws {
        let bad = TencentFixture.package(["TrafficPackageId": #""tfp-bad00001""#, field: value])
        let good = TencentFixture.package()
        let page = try decoder.listPage(TencentFixture.page([good, bad, TencentFixture.package(["TrafficPackageId": #""tfp-good0002""#])]))
        #expect(page.packages.map(\.id) == ["tfp-g67jlh1j", "tfp-good0002"])
        #expect(page.skipped.count == 1)
        #expect(page.skipped.first?.id == "tfp-bad00001")
        #expect(page.skipped.first?.field == field)
        #expect(page.skipped.first?.index == 1)
        #expect(page.received == 3)
    }

    @Test(arguments: [#""""#, "null", "12", nil] as [String?])
    func packageWithoutUsableId_isSkippedByPosition(_ id: String?) throws {
        let page = try decoder.listPage(TencentFixture.page([TencentFixture.package(["TrafficPackageId": id]), "42"]))
        #expect(page.packages.isEmpty)
        #expect(page.skipped.map(\.index) == [0, 1])
        #expect(page.skipped.allSatisfy { $0.id == nil })
    }

    /// An id that cannot be part of a `PackageKey` (':' splits the key, control characters break logs and PostgreSQL
    /// text) is skipped by position, escaped or not; the neighbours still decode (found by scripts/fuzz-tencent-list,
    /// `fuzz/seeds-tencent/regression-id-colon`).
    @Test(arguments: [#""tfp-a:b""#, #""tfp-a\u003ab""#, #""tfp-\u0000x""#, #""tfp-\nx""#, #""tfp-\u007fx""#, #"":""#])
    func packageWithIdUnusableInAKey_isSkippedByPosition(_ id: String) throws {
        let page = try decoder.listPage(TencentFixture.page([TencentFixture.package(["TrafficPackageId": id]), TencentFixture.package()]))
        #expect(page.packages.map(\.id) == ["tfp-g67jlh1j"])
        #expect(page.skipped.count == 1)
        #expect(page.skipped.first?.index == 0)
        #expect(page.skipped.first?.id == nil)
        #expect(page.skipped.first?.field == "TrafficPackageId")
        #expect(page.received == 2)
    }

    /// The bounds BCE's decoder applies too (`UpstreamBounds`): an amount above 1 EiB, a time outside 2000-2199 UTC or an
    /// id longer than 128 bytes skips the package, naming the field and why (an over-long id by position, as BCE's);
    /// its neighbours still decode.
    @Test(arguments: [
        ("TotalAmount", "1073741824.000001", "tfp-bad00001", "1073741824.000001 GB is above 1 EiB"),
        ("TotalAmount", "8589934591", "tfp-bad00001", "8589934591 GB is above 1 EiB"),
        ("UsedAmount", "2e9", "tfp-bad00001", "2e9 GB is above 1 EiB"),
        ("RemainingAmount", "1073741825", "tfp-bad00001", "1073741825 GB is above 1 EiB"),
        ("CreatedTime", #""1999-12-31T23:59:59Z""#, "tfp-bad00001", #""1999-12-31T23:59:59Z" is outside 2000-2199 (UTC)"#),
        ("CreatedTime", #""2000-01-01T07:59:59+08:00""#, "tfp-bad00001", #""2000-01-01T07:59:59+08:00" is outside 2000-2199 (UTC)"#),
        ("CreatedTime", #""0000-01-01T00:00:00Z""#, "tfp-bad00001", #""0000-01-01T00:00:00Z" is outside 2000-2199 (UTC)"#),
        ("Deadline", #""2200-01-01T00:00:00Z""#, "tfp-bad00001", #""2200-01-01T00:00:00Z" is outside 2000-2199 (UTC)"#),
        ("Deadline", #""2199-12-31T23:59:59-00:01""#, "tfp-bad00001", #""2199-12-31T23:59:59-00:01" is outside 2000-2199 (UTC)"#),
        ("Deadline", #""9999-12-31T23:59:59Z""#, "tfp-bad00001", #""9999-12-31T23:59:59Z" is outside 2000-2199 (UTC)"#),
        ("TrafficPackageId", "\"\(String(repeating: "x", count: 129))\"", nil, "longer than 128 bytes"),
        ("TrafficPackageId", "\"\(String(repeating: "é", count: 65))\"", nil, "longer than 128 bytes"),
        ("TrafficPackageId", "\"\(String(repeating: #"\u00e9"#, count: 65))\"", nil, "longer than 128 bytes"),
    ] as [(String, String, String?, String)])
    func packageOutsideTheUpstreamBounds_isSkippedNamingFieldAndReason(_ field: String, _ value: String, _ id: String?, _ reason: String) throws {
        var overrides: [String: String?] = ["TrafficPackageId": #""tfp-bad00001""#]
        overrides[field] = value
        let page = try decoder.listPage(TencentFixture.page([TencentFixture.package(overrides), TencentFixture.package()]))
        #expect(page.packages.map(\.id) == ["tfp-g67jlh1j"])
        #expect(page.skipped == [TencentSkippedPackage(index: 0, id: id, field: field, reason: reason)])
    }

    /// The bounds' edges are inside: exactly 1 EiB, 2000-01-01T00:00:00Z, the last second of 2199, an id of exactly
    /// 128 bytes (ASCII, or two-byte characters, escaped or not). Each field is shown as decoded.
    @Test(arguments: [
        ("TotalAmount", "1073741824", "1152921504606846976"),
        ("UsedAmount", "1073741824", "1152921504606846976"),
        ("RemainingAmount", "1.073741824e9", "1152921504606846976"),
        ("CreatedTime", #""2000-01-01T00:00:00Z""#, "2000-01-01T00:00:00Z"),
        ("CreatedTime", #""2000-01-01T08:00:00+08:00""#, "2000-01-01T00:00:00Z"),
        ("Deadline", #""2199-12-31T23:59:59Z""#, "2199-12-31T23:59:59Z"),
        ("TrafficPackageId", "\"\(String(repeating: "x", count: 128))\"", String(repeating: "x", count: 128)),
        ("TrafficPackageId", "\"\(String(repeating: "é", count: 64))\"", String(repeating: "é", count: 64)),
        ("TrafficPackageId", "\"\(String(repeating: #"\u00e9"#, count: 64))\"", String(repeating: "é", count: 64)),
    ])
    func packageAtTheUpstreamBoundsEdges_isKept(_ field: String, _ value: String, _ decoded: String) throws {
        let page = try decoder.listPage(TencentFixture.page([TencentFixture.package([field: value])]))
        #expect(page.skipped.isEmpty)
        let p = try #require(page.packages.first)
        let shown: String? = switch field {
        case "TotalAmount": "\(p.totalBytes)"
        case "UsedAmount": "\(p.usedBytes)"
        case "RemainingAmount": p.remainingBytes.map { "\($0)" }
        case "CreatedTime": RFC3339.format(p.createdAt)
        case "Deadline": RFC3339.format(p.deadline)
        default: p.id
        }
        #expect(shown == decoded)
    }

    /// An id is measured as decoded: 124 wire bytes whose 4 invalid bytes are each repaired to U+FFFD (3 bytes) make
    /// 132, too long (as BCE's `idOfInvalidUTF8_isMeasuredAfterRepair`).
    @Test func idOfInvalidUTF8_isMeasuredAfterRepair() throws {
        let object = Array(#"{"TrafficPackageId":""#.utf8) + Array(repeating: UInt8(ascii: "a"), count: 120) + [0xFF, 0xFF, 0xFF, 0xFF]
            + Array(#"","Status":"AVAILABLE","TotalAmount":1,"UsedAmount":0,"CreatedTime":"2022-08-31T11:42:37Z","Deadline":"2022-09-30T11:42:36Z"}"#.utf8)
        let body = Array(#"{"Response":{"TotalCount":1,"TrafficPackageSet":["#.utf8) + object + Array(#"],"RequestId":"r"}}"#.utf8)
        let page = try decoder.listPage(body)
        #expect(page.packages.isEmpty)
        #expect(page.skipped == [TencentSkippedPackage(index: 0, id: nil, field: "TrafficPackageId", reason: "longer than 128 bytes")])
    }

    @Test func unknownFields_areIgnored() throws {
        let json = TencentFixture.package(["NewField": #"{"x":[1,2,{"y":null}]}"#, "Region": #""ap-guangzhou""#])
        let page = try decoder.listPage(Array(#"{"Response":{"Extra":true,"TotalCount":1,"TrafficPackageSet":[\#(json)],"RequestId":"r"}}"#.utf8))
        #expect(page.packages.count == 1)
    }

    @Test func emptyRegion_decodesToZeroPackages_withNullOrEmptySet() throws {
        #expect(try decoder.listPage(Array(#"{"Response":{"TotalCount":0,"TrafficPackageSet":[],"RequestId":"r"}}"#.utf8)).packages.isEmpty)
        #expect(try decoder.listPage(Array(#"{"Response":{"TotalCount":0,"TrafficPackageSet":null,"RequestId":"r"}}"#.utf8)).packages.isEmpty)
    }

    @Test(arguments: [
        (#"{"Response":{"TrafficPackageSet":[],"RequestId":"r"}}"#, TencentError.Kind.decoding),
        (#"{"Response":{"TotalCount":-1,"TrafficPackageSet":[],"RequestId":"r"}}"#, .decoding),
        (#"{"Response":{"TotalCount":1.5,"TrafficPackageSet":[],"RequestId":"r"}}"#, .decoding),
        (#"{"Response":{"TotalCount":"3","TrafficPackageSet":[],"RequestId":"r"}}"#, .decoding),
        (#"{"Response":{"TotalCount":3,"RequestId":"r"}}"#, .decoding),
        (#"{"Response":{"TotalCount":3,"TrafficPackageSet":{},"RequestId":"r"}}"#, .decoding),
        (#"{"Response":{"TotalCount":3,"TrafficPackageSet":[{"TrafficPackageId":"tfp-"#, .malformed),
        ("<html>502 Bad Gateway</html>", .malformed),
        (#"{"TotalCount":1}"#, .malformed),
        ("", .malformed),
    ])
    func brokenEnvelope_failsThePage(_ body: String, _ kind: TencentError.Kind) {
        #expect(throws: TencentError.self) { try decoder.listPage(Array(body.utf8)) }
        do {
            _ = try decoder.listPage(Array(body.utf8))
        } catch {
            #expect(error.kind == kind)
        }
    }

    @Test func responseError_becomesServiceErrorWithCodeMessageAndRequestId() {
        let body = #"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"bad sig"},"RequestId":"ed93f3cb-1"}}"#
        do {
            _ = try decoder.listPage(Array(body.utf8))
            Issue.record("no error")
        } catch {
            #expect(error.kind == .service)
            #expect(error.code == "AuthFailure.SignatureFailure")
            #expect(error.message == "bad sig")
            #expect(error.requestID == "ed93f3cb-1")
            #expect(error.errorClass == .authFailure)
        }
    }

    @Test func createAnswer_yieldsNewIds() throws {
        let (ids, rid) = try TencentWireDecoder(source: TencentFixture.source, operation: "create")
            .createdIDs(Array(#"{"Response":{"TrafficPackageSet":["tfp-aaaa0001","tfp-aaaa0002"],"RequestId":"r9"}}"#.utf8))
        #expect(ids == ["tfp-aaaa0001", "tfp-aaaa0002"])
        #expect(rid == "r9")
    }

    /// Hostile bodies end in a clear error or a skipped package, never a trap: nesting past 64 levels, numbers too
    /// large for any type, invalid UTF-8 and broken surrogate escapes (`\ud800\u0041` trapped the tree parser the
    /// decoder used before the scanner).
    @Test(arguments: [
        (#"{"Response":{"TotalCount":1,"TrafficPackageSet":[\#(TencentFixture.package(["X": String(repeating: "[", count: 70) + String(repeating: "]", count: 70)]))],"RequestId":"r"}}"#, TencentError.Kind.malformed),
        (String(repeating: "{\"Response\":", count: 100_000), .malformed),
        (#"{"Response":{"TotalCount":1e400,"TrafficPackageSet":[],"RequestId":"r"}}"#, .decoding),
        (#"{"Response":{"TotalCount":\#(String(repeating: "9", count: 5_000)),"TrafficPackageSet":[],"RequestId":"r"}}"#, .decoding),
        (#"{"Response":{"TotalCount":1,"TrafficPackageSet":[],"RequestId":"r"}"#, .malformed),
    ])
    func hostileBody_failsWithAClearError(_ body: String, _ kind: TencentError.Kind) {
        #expect { try decoder.listPage(Array(body.utf8)) } throws: { ($0 as? TencentError)?.kind == kind }
    }

    @Test func hugeAmount_isASkippedPackage() throws {
        let page = try decoder.listPage(TencentFixture.page([TencentFixture.package(["TotalAmount": "1" + String(repeating: "0", count: 5_000)])]))
        #expect(page.packages.isEmpty)
        #expect(page.skipped.first?.field == "TotalAmount")
    }

    /// Strings are repaired, not rejected, and the raw bytes kept for audit are exactly the bytes received.
    @Test func invalidUTF8AndBrokenSurrogates_decode_rawBytesKeptExactly() throws {
        let object: [UInt8] = Array(#"{"TrafficPackageId":"tfp-1","TrafficPackageName":"a"#.utf8) + [0xFF, 0xC3]
            + Array(#"\ud800\u0041","Status":"AVAILABLE","TotalAmount":1,"UsedAmount":0,"CreatedTime":"2022-08-31T11:42:37Z","Deadline":"2022-09-30T11:42:36Z"}"#.utf8)
        let body = Array(#"{"Response":{"TotalCount":1,"TrafficPackageSet":[ "#.utf8) + object + Array(#" ],"RequestId":"r"}}"#.utf8)
        let p = try #require(try decoder.listPage(body).packages.first)
        #expect(p.name == "a\u{FFFD}\u{FFFD}\u{FFFD}A")
        #expect(p.raw == object)
    }

    /// Duplicate members resolve to the last one, at every level (as the tree parser's lookup did).
    @Test func duplicateMembers_lastOneWins() throws {
        let first = TencentFixture.package(["TrafficPackageId": #""tfp-first""#])
        let body = #"""
            {"Response":{"TotalCount":9,"TrafficPackageSet":[],"RequestId":"old"},
             "Response":{"TotalCount":"x","TotalCount":1,"TrafficPackageSet":7,"TrafficPackageSet":[\#(first)],"Error":{"Code":"X"},"Error":null,"RequestId":"new"}}
            """#
        let page = try decoder.listPage(Array(body.utf8))
        #expect(page.totalCount == 1)
        #expect(page.packages.map(\.id) == ["tfp-first"])
        #expect(page.requestID == "new")
        let twice = TencentFixture.package(["TrafficPackageId": #""tfp-a","TrafficPackageId":"tfp-b""#, "UsedAmount": #""x","UsedAmount":2"#])
        let p = try #require(try decoder.listPage(TencentFixture.page([twice])).packages.first)
        #expect(p.id == "tfp-b")
        #expect(p.usedBytes == 2 << 30)
    }

    /// A non-null `Error` of any shape is a service error; a body read after it still has to be JSON.
    @Test(arguments: [
        (#"{"Response":{"Error":"boom","RequestId":"r"}}"#, TencentError.Kind.service, "UnknownError"),
        (#"{"Response":{"Error":{"Message":"m"},"RequestId":"r"}}"#, .service, "UnknownError"),
        (#"{"Response":{"Error":{"Code":"LimitExceeded","Code":"InternalError"}}}"#, .service, "InternalError"),
        (#"{"Response":{"Error":{"Code":"InternalError"}},"#, .malformed, nil),
        (#"{"Response":[],"Other":{}}"#, .malformed, nil),
    ] as [(String, TencentError.Kind, String?)])
    func errorMember_anyShape(_ body: String, _ kind: TencentError.Kind, _ code: String?) {
        do {
            _ = try decoder.listPage(Array(body.utf8))
            Issue.record("no error")
        } catch {
            #expect(error.kind == kind)
            if let code { #expect(error.code == code) }
        }
    }

    @Test func createAnswer_rejectsNonIds_andNonArrays() {
        let d = TencentWireDecoder(source: TencentFixture.source, operation: "create")
        for (body, message) in [
            (#"{"Response":{"TrafficPackageSet":["tfp-1",""],"RequestId":"r"}}"#, "TrafficPackageSet[1]: expected a package id, got string"),
            (#"{"Response":{"TrafficPackageSet":["tfp-1",{}],"RequestId":"r"}}"#, "TrafficPackageSet[1]: expected a package id, got object"),
            (#"{"Response":{"TrafficPackageSet":"tfp-1","RequestId":"r"}}"#, "TrafficPackageSet: expected an array of ids"),
            (#"{"Response":{"RequestId":"r"}}"#, "TrafficPackageSet: expected an array of ids"),
        ] {
            #expect { try d.createdIDs(Array(body.utf8)) } throws: { ($0 as? TencentError)?.message == message }
        }
    }
}
