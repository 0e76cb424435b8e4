import Foundation
import Testing
@testable import TPGWCore

@Suite struct FingerprintTests {
    let key = PackageKey(provider: "bce", account: "prod", region: "bj", id: "tp-1")

    /// Pinned: a change here would re-fire every stored alert after an upgrade.
    @Test func fingerprint_isStableAcrossReleases() {
        let f = Fingerprint(budgetID: "b1", ruleIndex: 0, kind: .usedRatio, subject: .package(key))
        #expect(f.value.count == 16)
        #expect(f == Fingerprint(budgetID: "b1", ruleIndex: 0, kind: .usedRatio, subject: .package(key)))
        #expect(f.value == Self.pinned)
    }

    static let pinned = fnv("b1|0|usedRatio|package:bce:prod:bj:tp-1")

    /// The rule index is hashed as its decimal text, whatever its number of digits.
    @Test(arguments: [0, 7, 10, 99, 123, 4096])
    func fingerprint_hashesTheRuleIndexAsDecimalText(_ index: Int) {
        let f = Fingerprint(budgetID: "b1", ruleIndex: index, kind: .usedRatio, subject: .pool(key.source))
        #expect(f.value == Self.fnv("b1|\(index)|usedRatio|pool:bce:prod:bj"))
    }

    /// Independent FNV-1a 64 reference.
    static func fnv(_ s: String) -> String {
        var h: UInt64 = 14_695_981_039_346_656_037
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    @Test func fingerprint_textFormRoundTripsAndSortsLikeTheNumber() throws {
        let f = Fingerprint(budgetID: "b1", ruleIndex: 0, kind: .usedRatio, subject: .package(key))
        #expect(Fingerprint(f.value) == f)
        #expect(Fingerprint("000000000000000a")!.value == "000000000000000a")
        #expect(Fingerprint("000000000000000f")! < Fingerprint("0000000000000010")!)
        #expect(Fingerprint("ffffffffffffffff")?.bits == .max)
        let json = try JSONEncoder().encode([f])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(f.value)\"]")
        #expect(try JSONDecoder().decode([Fingerprint].self, from: json) == [f])
    }

    /// Stored rows are read back: anything but 16 lowercase hex digits is refused, never trapped on.
    @Test(arguments: ["", "abc", "0123456789abcdeF", "0123456789abcdef0", "0123456789abcdeg", "-123456789abcdef", "０123456789abcde"])
    func fingerprint_malformedTextIsRefused(_ text: String) {
        #expect(Fingerprint(text) == nil)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Fingerprint].self, from: Data("[\"\(text)\"]".utf8)) }
    }

    @Test func fingerprint_differsPerBudgetRuleKindAndSubject() {
        let base = Fingerprint(budgetID: "b1", ruleIndex: 0, kind: .usedRatio, subject: .package(key))
        let source = key.source
        let others = [
            Fingerprint(budgetID: "b2", ruleIndex: 0, kind: .usedRatio, subject: .package(key)),
            Fingerprint(budgetID: "b1", ruleIndex: 1, kind: .usedRatio, subject: .package(key)),
            Fingerprint(budgetID: "b1", ruleIndex: 0, kind: .remainingBytes, subject: .package(key)),
            Fingerprint(budgetID: "b1", ruleIndex: 0, kind: .usedRatio, subject: .pool(source)),
            Fingerprint(budgetID: "b1", ruleIndex: 0, kind: .usedRatio, subject: .source(source)),
        ]
        #expect(Set(others + [base]).count == 6)
    }

    @Test(arguments: ["package:bce:prod:bj:tp-1", "pool:bce:prod:bj", "source:bce:test:gz"])
    func subject_textFormRoundTrips(_ text: String) throws {
        let subject = try #require(AlertSubject(text))
        #expect(subject.description == text)
        let json = try JSONEncoder().encode([subject])
        #expect(try JSONDecoder().decode([AlertSubject].self, from: json) == [subject])
    }

    @Test(arguments: ["", "package:tp-1", "pool:bce:prod", "thing:bce:prod:bj", "source:bce::bj"])
    func subject_rejectsMalformedText(_ text: String) {
        #expect(AlertSubject(text) == nil)
    }
}
