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

    /// Independent FNV-1a 64 reference.
    static func fnv(_ s: String) -> String {
        var h: UInt64 = 14_695_981_039_346_656_037
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
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
