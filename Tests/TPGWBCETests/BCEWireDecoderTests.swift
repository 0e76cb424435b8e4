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

    @Test(arguments: [
        ("\"capacity\":10737418240,", "", "packageList[0].capacity: missing"),
        ("\"capacity\":10737418240", "\"capacity\":true", "packageList[0].capacity: expected a number or numeric string, got boolean"),
        ("\"status\":\"RUNNING\"", "\"status\":\"SLEEPING\"", "packageList[0].status: unknown value"),
        ("\"expireTime\":\"2021-05-10T11:41:16Z\"", "\"expireTime\":\"tomorrow\"", "packageList[0].expireTime: not a UTC time"),
        ("\"id\":\"tp-87V5cnkwqO\",", "", "packageList[0].id: missing"),
    ])
    func missingOrWrongField_isNamedInError(_ replace: String, _ with: String, _ expected: String) {
        let s = Self.pkg.replacingOccurrences(of: replace, with: with)
        #expect {
            try decoder.listPage(page(s))
        } throws: { error in
            guard let e = error as? BCEError else { return false }
            return e.kind == .decoding && e.message.hasPrefix(expected) && e.source.region == "bj"
        }
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

    @Test func jsonParser_handlesEscapesAndUnicode() throws {
        let v = try JSONParser.parse(Array(#"{"a":"x\"\u00e9\ud83d\ude00\n","b":[1.5e3,-0,null,true]}"#.utf8))
        #expect(v["a"] == .string("x\"é😀\n"))
        guard case .array(let items, _)? = v["b"] else { Issue.record("no array"); return }
        #expect(items == [.number("1.5e3"), .number("-0"), .null, .bool(true)])
    }

    @Test func errorMapping_toAppError() {
        let src = SourceID(account: "prod", region: "bj")
        #expect(BCEError(kind: .service, source: src, operation: "get", status: 503, message: "").appError.code == .upstreamUnavailable)
        #expect(BCEError(kind: .timeout, source: src, operation: "get", message: "").appError.code == .upstreamUnavailable)
        #expect(BCEError(kind: .service, source: src, operation: "get", status: 403, code: "AccessDenied", message: "").appError.code == .upstreamRejected)
        #expect(BCEError(kind: .service, source: src, operation: "get", status: 404, code: "NoSuchObject", message: "").appError.code == .notFound)
        #expect(BCEError(kind: .service, source: src, operation: "create", status: 403, code: "IdempotentParameterMismatch", message: "").appError.code == .conflict)
    }
}
