import Foundation
import Testing
import TPGWCore
@testable import TPGWBCE

@Suite struct BCEWireDecoderTests {
    let decoder = BCEWireDecoder(source: SourceID(account: "prod", region: "bj"), operation: "list")

    static let pkg = #"{"id":"tp-87V5cnkwqO","deductPolicy":"TimeDurationPackage","packageType":"WebOutBytes","status":"RUNNING","capacity":10737418240,"usedCapacity":0,"createTime":"2021-04-10T11:40:57Z","activeTime":"2021-04-10T11:41:16Z","expireTime":"2021-05-10T11:41:16Z"}"#

    func page(_ items: String, truncated: Bool = false, next: String? = nil) -> [UInt8] {
        var s = #"{"marker":"","maxKeys":1000,"isTruncated":\#(truncated),"#
        if let next { s += #""nextMarker":"\#(next)","# }
        return Array((s + #""packageList":[\#(items)]}"#).utf8)
    }

    @Test func listPage_decodesDocumentedExample_andKeepsRawBytes() throws {
        let p = try decoder.listPage(page(Self.pkg + " , " + Self.pkg.replacingOccurrences(of: "tp-87V5cnkwqO", with: "tp-2")))
        #expect(p.packages.count == 2)
        let first = p.packages[0]
        #expect(first.id == "tp-87V5cnkwqO")
        #expect(first.deductPolicy == .offPeak)
        #expect(first.status == .active)
        #expect(first.capacity == 10_737_418_240)
        #expect(first.expireTime == RFC3339.parse("2021-05-10T11:41:16Z"))
        #expect(String(decoding: first.raw, as: UTF8.self) == Self.pkg)
        #expect(!p.isTruncated && p.nextMarker == nil)
    }

    @Test func capacity_acceptsNumericStrings() throws {
        let s = Self.pkg.replacingOccurrences(of: "10737418240", with: "\"10737418240\"").replacingOccurrences(of: "\"usedCapacity\":0", with: "\"usedCapacity\":\"5\"")
        let p = try decoder.listPage(page(s))
        #expect(p.packages[0].capacity == 10_737_418_240)
        #expect(p.packages[0].usedCapacity == 5)
    }

    @Test func unknownFields_areIgnored() throws {
        let s = Self.pkg.replacingOccurrences(of: "{\"id\"", with: "{\"future\":{\"x\":[1,2]},\"id\"")
        #expect(try decoder.listPage(page(s)).packages.count == 1)
    }

    /// A page of three packages whose middle one (`tp-bad`) is `bad`.
    func pageWithMiddle(_ bad: String) -> [UInt8] {
        let good = { (id: String) in Self.pkg.replacingOccurrences(of: "tp-87V5cnkwqO", with: id) }
        return page([good("tp-a"), bad, good("tp-c")].joined(separator: ","))
    }

    static let bad = pkg.replacingOccurrences(of: "tp-87V5cnkwqO", with: "tp-bad")

    @Test(arguments: [
        ("\"capacity\":10737418240,", "", "tp-bad: field capacity: missing"),
        ("\"capacity\":10737418240", "\"capacity\":true", "tp-bad: field capacity: expected a number or numeric string, got boolean"),
        ("\"capacity\":10737418240", "\"capacity\":9223372036854775807", "tp-bad: field capacity: out of range"),
        ("\"capacity\":10737418240", "\"capacity\":1152921504606846977", "tp-bad: field capacity: out of range"),
        ("\"capacity\":10737418240", "\"capacity\":\"1e300\"", "tp-bad: field capacity: out of range"),
        ("\"usedCapacity\":0", "\"usedCapacity\":-1", "tp-bad: field usedCapacity: negative"),
        ("\"usedCapacity\":0", "\"usedCapacity\":\"-99999999999999999999\"", "tp-bad: field usedCapacity: negative"),
        ("\"usedCapacity\":0", "\"usedCapacity\":\"lots\"", "tp-bad: field usedCapacity: not a number"),
        ("\"usedCapacity\":0", "\"usedCapacity\":\"NaN\"", "tp-bad: field usedCapacity: not a number"),
        ("\"usedCapacity\":0", "\"usedCapacity\":0.5", "tp-bad: field usedCapacity: not an integer"),
        ("\"expireTime\":\"2021-05-10T11:41:16Z\"", "\"expireTime\":\"tomorrow\"", "tp-bad: field expireTime: not a UTC time"),
        ("\"expireTime\":\"2021-05-10T11:41:16Z\"", "\"expireTime\":\"9999-12-31T23:59:59Z\"", "tp-bad: field expireTime: out of range"),
        ("\"createTime\":\"2021-04-10T11:40:57Z\"", "\"createTime\":\"0001-01-01T00:00:00Z\"", "tp-bad: field createTime: out of range"),
        (",\"expireTime\":\"2021-05-10T11:41:16Z\"", "", "tp-bad: field expireTime: missing"),
        ("\"status\":\"RUNNING\"", "\"status\":7", "tp-bad: field status: expected a string, got number"),
        ("\"id\":\"tp-bad\",", "", "packageList[1]: field id: missing"),
        ("\"id\":\"tp-bad\"", "\"id\":\"\"", "packageList[1]: field id: empty"),
        ("\"id\":\"tp-bad\"", "\"id\":\"tp:bad\"", "packageList[1]: field id: contains ':' or a control character"),
        ("\"id\":\"tp-bad\"", "\"id\":\"tp\\u003abad\"", "packageList[1]: field id: contains ':' or a control character"),
        ("\"id\":\"tp-bad\"", "\"id\":\"\(String(repeating: "x", count: 129))\"", "packageList[1]: field id: longer than 128 bytes"),
    ])
    func unrepresentablePackage_isSkippedAndReported_restOfPageKept(_ replace: String, _ with: String, _ report: String) throws {
        let p = try decoder.listPage(pageWithMiddle(Self.bad.replacingOccurrences(of: replace, with: with)))
        #expect(p.packages.map(\.id) == ["tp-a", "tp-c"])
        #expect(p.skipped.map(\.description) == [report])
        #expect(p.skipped.first?.position == "packageList[1]")
    }

    @Test func idOfInvalidUTF8_isMeasuredAfterRepair() throws {
        // Found by scripts/fuzz-bce-list: 100 bytes of 0x8C repair to 100 U+FFFD, 300 bytes of UTF-8.
        var body = page(Self.bad)
        let id = Array("tp-bad".utf8)
        let start = body.indices.first { body[$0...].starts(with: id) }!
        body.replaceSubrange(start..<(start + id.count), with: [UInt8](repeating: 0x8C, count: 100))
        let p = try decoder.listPage(body)
        #expect(p.packages.isEmpty)
        #expect(p.skipped.map(\.description) == ["packageList[0]: field id: longer than 128 bytes"])
    }

    @Test func nonObjectElement_isSkippedAndReported() throws {
        let p = try decoder.listPage(pageWithMiddle("\"tp-1\""))
        #expect(p.packages.map(\.id) == ["tp-a", "tp-c"])
        #expect(p.skipped.map(\.description) == ["packageList[1]: field package: expected an object, got string"])
    }

    @Test(arguments: [
        ("\"status\":\"RUNNING\"", "\"status\":\"FROZEN\"", PackageStatus.unknown, PackagePolicy.offPeak),
        ("\"status\":\"RUNNING\"", "\"status\":\"unknown\"", PackageStatus.unknown, PackagePolicy.offPeak),
        ("\"deductPolicy\":\"TimeDurationPackage\"", "\"deductPolicy\":\"WeekendPackage\"", PackageStatus.active, PackagePolicy.unknown),
        ("\"deductPolicy\":\"TimeDurationPackage\"", "\"deductPolicy\":\"Time\\u0044urationPackage\"", PackageStatus.active, PackagePolicy.offPeak),
    ])
    func unknownStatusOrPolicy_mapsToUnknown_andSkipsNothing(_ replace: String, _ with: String, _ status: PackageStatus, _ policy: PackagePolicy) throws {
        let p = try decoder.listPage(pageWithMiddle(Self.bad.replacingOccurrences(of: replace, with: with)))
        #expect(p.packages.map(\.id) == ["tp-a", "tp-bad", "tp-c"])
        #expect(p.skipped.isEmpty)
        #expect(p.packages[1].status == status && p.packages[1].deductPolicy == policy)
        #expect(p.packages[0].status == .active && p.packages[0].deductPolicy == .offPeak)
    }

    @Test(arguments: [("RUNNING", PackageStatus.active), ("USED_UP", .usedUp), ("EXPIRED", .expired), ("unknown", .unknown)])
    func knownStatuses_mapToTheirCase(_ wire: String, _ status: PackageStatus) throws {
        let p = try decoder.listPage(page(Self.pkg.replacingOccurrences(of: "RUNNING", with: wire)))
        #expect(p.packages.first?.status == status)
    }

    @Test func everySkippedPackage_isReported_inListOrder() throws {
        let items = (0..<8).map { i in
            Self.pkg.replacingOccurrences(of: "tp-87V5cnkwqO", with: "tp-\(i)")
                .replacingOccurrences(of: "\"usedCapacity\":0", with: i % 2 == 0 ? "\"usedCapacity\":-\(i + 1)" : "\"usedCapacity\":\(i)")
        }
        let p = try decoder.listPage(page(items.joined(separator: ",")))
        #expect(p.packages.map(\.id) == ["tp-1", "tp-3", "tp-5", "tp-7"])
        #expect(p.skipped.map(\.id) == ["tp-0", "tp-2", "tp-4", "tp-6"])
        #expect(SkippedPackage.report(p.skipped) == "skipped 4 packages: tp-0: field usedCapacity: negative; tp-2: field usedCapacity: negative; "
            + "tp-4: field usedCapacity: negative; tp-6: field usedCapacity: negative")
    }

    @Test func escapedStringsAndKeys_areDecoded() throws {
        let s = Self.pkg
            .replacingOccurrences(of: "\"id\":\"tp-87V5cnkwqO\"", with: #""\u0069d":"tp-87V5\/cnkwqO""#)
            .replacingOccurrences(of: "\"RUNNING\"", with: #""RUNN\u0049NG""#)
            .replacingOccurrences(of: "\"WebOutBytes\"", with: #""Web\tOut""#)
        let p = try decoder.listPage(page(s)).packages[0]
        #expect(p.id == "tp-87V5/cnkwqO")
        #expect(p.status == .active)
        #expect(p.packageType == "Web\tOut")
    }

    @Test func duplicateKeys_lastOneWins() throws {
        let s = Self.pkg.replacingOccurrences(of: "{\"id\"", with: "{\"status\":\"EXPIRED\",\"id\"")
        #expect(try decoder.listPage(page(s)).packages[0].status == .active)
    }

    @Test(arguments: [
        ("1.073741824E10", Int64(10_737_418_240)), ("\"10737418240.0\"", 10_737_418_240), ("\"+5\"", 5), ("0", 0),
        ("1152921504606846976", Int64(1) << 60), ("\"999999999999999999\"", 999_999_999_999_999_999),
    ])
    func capacity_acceptsIntegralNumberForms(_ text: String, _ expected: Int64) throws {
        let s = Self.pkg.replacingOccurrences(of: "10737418240", with: text)
        #expect(try decoder.listPage(page(s)).packages[0].capacity == expected)
    }

    @Test(arguments: [
        ("-5", "negative"), ("1.5", "not an integer"), ("\"\"", "not a number"), ("\"ten\"", "not a number"),
        ("99999999999999999999", "out of range"), ("-0.5", "negative"), ("\"inf\"", "not a number"),
    ])
    func capacity_outsideZeroToMaxBytes_isSkipped(_ text: String, _ reason: String) throws {
        let s = Self.pkg.replacingOccurrences(of: "10737418240", with: text)
        let p = try decoder.listPage(page(s))
        #expect(p.packages.isEmpty)
        #expect(p.skipped == [SkippedPackage(id: "tp-87V5cnkwqO", position: "packageList[0]", field: "capacity", reason: reason)])
    }

    @Test(arguments: [
        "2021-05-10T11:41:16Z", "2021-05-10T19:41:16+08:00", "2021-05-10t11:41:16z", "2021-05-10T11:41:16.000Z", "2024-02-29T23:59:60Z",
        "2000-01-01T00:00:00Z", "2199-12-31T23:59:59Z",
    ])
    func times_matchRFC3339Parse(_ text: String) throws {
        let s = Self.pkg.replacingOccurrences(of: "2021-05-10T11:41:16Z", with: text)
        let p = try decoder.listPage(page(s)).packages[0]
        #expect(p.expireTime == RFC3339.parse(text))
        #expect(p.activeTime == RFC3339.parse("2021-04-10T11:41:16Z"))
    }

    @Test(arguments: [
        ("2021-13-10T11:41:16Z", "not a UTC time"), ("2021-05-10T24:00:00Z", "not a UTC time"), ("2021-05-10 11:41", "not a UTC time"),
        ("2021-05-1OT11:41:16Z", "not a UTC time"), ("1969-12-31T23:59:59Z", "out of range"), ("2200-01-01T00:00:00Z", "out of range"),
        ("1999-12-31T23:59:59+00:00", "out of range"),
    ])
    func times_malformedOrOutOfRange_areSkipped(_ text: String, _ reason: String) throws {
        let s = Self.pkg.replacingOccurrences(of: "2021-05-10T11:41:16Z", with: text)
        let p = try decoder.listPage(page(s))
        #expect(p.packages.isEmpty)
        #expect(p.skipped.map(\.description) == ["tp-87V5cnkwqO: field expireTime: \(reason)"])
    }

    @Test func missingOptionalFields_takeDefaults() throws {
        let s = Self.pkg.replacingOccurrences(of: "\"packageType\":\"WebOutBytes\",", with: "")
            .replacingOccurrences(of: "\"activeTime\":\"2021-04-10T11:41:16Z\"", with: "\"activeTime\":null")
        let p = try decoder.listPage(page(s)).packages[0]
        #expect(p.packageType == "WebOutBytes" && p.activeTime == nil)
    }

    @Test(arguments: [
        (#"{"packageList":{}}"#, "packageList: expected an array, got object"),
        (#"{"isTruncated":false}"#, "packageList: missing"),
        (#"[]"#, "response: expected an object, got array"),
        (#"{"packageList":[],"isTruncated":"yes"}"#, "isTruncated: expected a boolean, got string"),
        (#"{"packageList":[],"isTruncated":true,"nextMarker":""}"#, "nextMarker: missing while isTruncated is true"),
        (#"{"packageList":[],"maxKeys":"x"}"#, "maxKeys: not an integer"),
    ])
    func pageShapeErrors_areNamed(_ body: String, _ expected: String) {
        #expect { try decoder.listPage(Array(body.utf8)) } throws: { ($0 as? BCEError)?.message.hasPrefix(expected) == true }
    }

    @Test(arguments: [
        #"{"packageList":[],}"#, #"{"packageList":[],"a":[1,]}"#, #"{"packageList":[]} x"#, #"{"packageList":[],"a":"\x"}"#,
        "{\"packageList\":[],\"a\":\"tab\there\"}", #"{"packageList":[],"a":tru}"#, #"{"packageList":[],"a":01}"#,
        #"{"packageList":[],"a":-}"#, #"{"packageList":[],"a":"\u12G4"}"#, #"{"packageList":[] "a":1}"#, #"{"packageList":[]"#,
        String(repeating: "[", count: 70) + String(repeating: "]", count: 70), "",
    ])
    func malformedJSON_isRejectedByPageAndPaging(_ body: String) {
        #expect { try decoder.listPage(Array(body.utf8)) } throws: { ($0 as? BCEError)?.message.hasPrefix("response is not JSON") == true }
        #expect { try decoder.listPaging(Array(body.utf8)) } throws: { ($0 as? BCEError)?.message.hasPrefix("response is not JSON") == true }
    }

    @Test func listPaging_readsOnlyPagingFields_andAgreesWithListPage() throws {
        let truncated = page(Self.pkg, truncated: true, next: "tp-next")
        #expect(try decoder.listPaging(truncated).nextMarker == "tp-next")
        #expect(try decoder.listPaging(truncated).isTruncated)
        #expect(try decoder.listPage(truncated).nextMarker == "tp-next")
        let last = page(Self.pkg, truncated: false, next: "tp-ignored")
        #expect(try decoder.listPaging(last).nextMarker == nil)
        #expect(try decoder.listPage(last).nextMarker == nil)
        // A bad package is the full decode's business (it skips it); paging still reads.
        let bad = page(Self.pkg.replacingOccurrences(of: "\"usedCapacity\":0", with: "\"usedCapacity\":-1"), truncated: true, next: "tp-2")
        #expect(try decoder.listPaging(bad).nextMarker == "tp-2")
        #expect(try decoder.listPage(bad).skipped.count == 1)
    }

    @Test func listPaging_stopsAfterThePagingFields() throws {
        let body = Array(#"{"marker":"","isTruncated":true,"nextMarker":"tp-2","packageList":[{"id":"#.utf8)
        #expect(try decoder.listPaging(body).nextMarker == "tp-2")
        #expect { try decoder.listPage(body) } throws: { ($0 as? BCEError)?.message.hasPrefix("response is not JSON") == true }
        // Duplicate paging keys make the early answer differ from the full one; BCEClient.listPackages compares them.
        let dup = Array(#"{"isTruncated":false,"packageList":[],"isTruncated":true,"nextMarker":"x"}"#.utf8)
        #expect(try decoder.listPaging(dup).nextMarker == nil)
        #expect(try decoder.listPage(dup).nextMarker == "x")
    }

    @Test func longStrings_withEscapesAtEveryOffset_decode() throws {
        // Exercises the 8-bytes-at-a-time string skip: the escape lands at each position of a word.
        for k in 0..<17 {
            let id = "tp-" + String(repeating: "a", count: k) + #"\\"# + String(repeating: "b", count: 20)
            let s = Self.pkg.replacingOccurrences(of: "tp-87V5cnkwqO", with: id)
            let p = try decoder.listPage(page(s)).packages[0]
            #expect(p.id == "tp-" + String(repeating: "a", count: k) + "\\" + String(repeating: "b", count: 20))
        }
        let tab = Self.pkg.replacingOccurrences(of: "tp-87V5cnkwqO", with: "tp-0123456789abcdef\tx")
        #expect(throws: BCEError.self) { try decoder.listPage(page(tab)) }
    }

    @Test func getBody_decodesOnePackage_andNamesFieldsUnderPackage() throws {
        #expect(try decoder.package(Array(Self.pkg.utf8)).id == "tp-87V5cnkwqO")
        let s = Self.pkg.replacingOccurrences(of: "\"capacity\":10737418240,", with: "")
        #expect { try decoder.package(Array(s.utf8)) } throws: { ($0 as? BCEError)?.message == "package.capacity: missing" }
        #expect { try decoder.package(Array("[1]".utf8)) } throws: { ($0 as? BCEError)?.message == "package: expected an object, got array" }
    }

    @Test func truncatedPage_withoutNextMarker_isAnError() {
        #expect(throws: BCEError.self) { try decoder.listPage(page(Self.pkg, truncated: true)) }
    }

    @Test func malformedJSON_isDecodingError() {
        #expect { try decoder.listPage(Array("{\"packageList\":[{\"id\":\"tp-".utf8)) } throws: { ($0 as? BCEError)?.kind == .decoding }
    }

    @Test func state_normalisesToPackageState() throws {
        let p = try decoder.package(Array(Self.pkg.utf8))
        let observed = Date(timeIntervalSince1970: 1_700_000_000)
        let s = p.state(source: SourceID(account: "prod", region: "bj"), observedAt: observed)
        #expect(s.key.description == "bce:prod:bj:tp-87V5cnkwqO")
        #expect(s.policy == .offPeak && s.status == .active && s.capacityBytes == 10_737_418_240 && s.observedAt == observed)
    }

    @Test func errorMapping_toAppError() {
        let src = SourceID(account: "prod", region: "bj")
        #expect(BCEError(kind: .service, source: src, operation: "get", status: 503, message: "").appError.code == .upstreamUnavailable)
        #expect(BCEError(kind: .timeout, source: src, operation: "get", message: "").appError.code == .upstreamUnavailable)
        #expect(BCEError(kind: .service, source: src, operation: "get", status: 403, code: "AccessDenied", message: "").appError.code == .upstreamRejected)
        #expect(BCEError(kind: .service, source: src, operation: "get", status: 404, code: "NoSuchObject", message: "").appError.code == .notFound)
        #expect(BCEError(kind: .service, source: src, operation: "create", status: 403, code: "IdempotentParameterMismatch", message: "").appError.code == .conflict)
    }

    /// Create, price and error bodies are read by the list pages' scanner: the last duplicate wins, a body that is
    /// not an object has no members, malformed JSON is a decoding error.
    @Test(arguments: [
        (#"{"id":"tp-1"}"#, "tp-1"), (#"{"id":"tp-1","id":"tp-\u0032"}"#, "tp-2"), (#"{"id":""}"#, "id: empty"),
        (#"{"other":1}"#, "id: missing"), (#"{"id":null}"#, "id: missing"), (#"{"id":7}"#, "id: expected a string, got number"),
        (#"{"id":{"x":1}}"#, "id: expected a string, got object"), (#"["tp-1"]"#, "id: missing"), (#"{"id":"tp-1""#, "response is not JSON"),
    ])
    func createdID_readsTheIdMember(_ body: String, _ expected: String) {
        switch Result(catching: { () throws(BCEError) in try decoder.createdID(Array(body.utf8)) }) {
        case .success(let id): #expect(id == expected)
        case .failure(let error): #expect(error.message.hasPrefix(expected), "\(error.message)")
        }
    }

    @Test(arguments: [
        (#"{"price":"7.20000"}"#, "7.20000"), (#"{"price":7.2}"#, "7.2"), (#"{"price":"seven"}"#, "price: expected a decimal string, got string"),
        (#"{"price":null}"#, "price: expected a decimal string, got null"), ("{}", "price: missing"),
    ])
    func price_readsADecimalStringOrNumber(_ body: String, _ expected: String) {
        switch Result(catching: { () throws(BCEError) in try decoder.price(Array(body.utf8)) }) {
        case .success(let price): #expect(price == expected)
        case .failure(let error): #expect(error.message == expected)
        }
    }

    @Test func errorBody_readsStringsOnly_andNothingFromMalformedJSON() {
        let parsed = decoder.errorBody(Array(#"{"code":"NoSuchObject","message":7,"requestId":"r-1","extra":[1,{"a":2}]}"#.utf8))
        #expect(parsed.code == "NoSuchObject" && parsed.message == nil && parsed.requestID == "r-1")
        let broken = decoder.errorBody(Array(#"{"code":"X""#.utf8))
        #expect(broken.code == nil && broken.message == nil && broken.requestID == nil)
    }
}
