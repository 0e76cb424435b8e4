import Foundation
import Testing
@testable import TPGWCore

@Suite struct BudgetTests {
    /// The "Budget (create)" example of product.md, verbatim.
    static let productExample = #"""
    {"name": "bj runway", "scope": {"account": "prod", "region": "bj", "policy": "fullTime", "package": "bce:prod:bj:tp-87V5cnkwqO"}, "rules": [{"kind": "usedRatio", "thresholds": [0.8, 0.95]}, {"kind": "remainingBytes", "below": 1099511627776}, {"kind": "exhaustion", "withinHours": 72}, {"kind": "exhaustsBeforeExpiry"}, {"kind": "expiryWaste", "withinDays": 7, "unusedRatioAbove": 0.3}, {"kind": "coverageGap", "withinHours": 24}, {"kind": "statusChange"}, {"kind": "sourceStale", "afterMinutes": 30}], "channels": ["<channel id>"], "repeatIntervalHours": 24}
    """#

    @Test func productExample_decodesIntoEveryRuleKind() throws {
        let b = try Budget.decodeValidated(from: Data(Self.productExample.utf8))
        #expect(b.name == "bj runway")
        #expect(b.scope == BudgetScope(account: "prod", region: "bj", policy: .fullTime, package: "bce:prod:bj:tp-87V5cnkwqO"))
        #expect(b.rules == [
            .usedRatio(thresholds: [0.8, 0.95]), .remainingBytes(below: 1_099_511_627_776), .exhaustion(withinHours: 72),
            .exhaustsBeforeExpiry, .expiryWaste(withinDays: 7, unusedBytesAbove: nil, unusedRatioAbove: 0.3),
            .coverageGap(withinHours: 24), .statusChange, .sourceStale(afterMinutes: 30),
        ])
        #expect(b.channels == ["<channel id>"])
        #expect(b.repeatInterval == 86400)
        #expect(b.rules.map(\.kind) == AlertRule.Kind.allCases)
    }

    @Test func confidence_defaultsToNinetyPercent_andRoundTripsWhenGiven() throws {
        let b = try Budget.decodeValidated(from: Data(#"""
            {"name":"x","rules":[{"kind":"exhaustion","withinHours":24},{"kind":"coverageGap","withinHours":12,"confidence":0.5},
            {"kind":"expiryWaste","withinDays":7,"unusedRatioAbove":0.3,"confidence":0.99}]}
            """#.utf8))
        #expect(b.rules == [
            .exhaustion(withinHours: 24, per: .package, confidence: 0.9), .coverageGap(withinHours: 12, confidence: 0.5),
            .expiryWaste(withinDays: 7, unusedBytesAbove: nil, unusedRatioAbove: 0.3, confidence: 0.99),
        ])
        let again = try JSONDecoder().decode(Budget.self, from: try JSONEncoder().encode(b))
        #expect(again == b)
    }

    @Test func encodeThenDecode_roundTrips() throws {
        let b = try Budget.decodeValidated(from: Data(Self.productExample.utf8))
        let again = try JSONDecoder().decode(Budget.self, from: try JSONEncoder().encode(b))
        #expect(again == b)
    }

    @Test func minimalBudget_defaultsScopeChannelsAndRepeat() throws {
        let b = try Budget.decodeValidated(from: Data(#"{"name":"all","rules":[{"kind":"statusChange"}]}"#.utf8))
        #expect(b.scope == BudgetScope())
        #expect(b.channels.isEmpty)
        #expect(b.repeatIntervalHours == 24)
    }

    @Test(arguments: [
        (#"{"name":"x","rules":[{"kind":"usedRatio","thresholds":[0.5,0.5]}]}"#, "rules[0].thresholds"),
        (#"{"name":"x","rules":[{"kind":"usedRatio","thresholds":[]}]}"#, "rules[0].thresholds"),
        (#"{"name":"x","rules":[{"kind":"statusChange"},{"kind":"usedRatio","thresholds":[0.5,1.5]}]}"#, "rules[1].thresholds[1]"),
        (#"{"name":"x","rules":[{"kind":"remainingBytes","below":0}]}"#, "rules[0].below"),
        (#"{"name":"x","rules":[{"kind":"exhaustion","withinHours":-1}]}"#, "rules[0].withinHours"),
        (#"{"name":"x","rules":[{"kind":"expiryWaste","withinDays":7,"unusedRatioAbove":1}]}"#, "rules[0].unusedRatioAbove"),
        (#"{"name":"x","rules":[{"kind":"sourceStale","afterMinutes":0}]}"#, "rules[0].afterMinutes"),
        (#"{"name":"x","rules":[{"kind":"exhaustion","withinHours":24,"confidence":0.3}]}"#, "rules[0].confidence"),
        (#"{"name":"x","rules":[{"kind":"coverageGap","withinHours":24,"confidence":1}]}"#, "rules[0].confidence"),
        (#"{"name":"x","rules":[{"kind":"expiryWaste","withinDays":7,"confidence":0.995}]}"#, "rules[0].confidence"),
        (#"{"name":"x","rules":[{"kind":"usedRatio","thresholds":[0.5],"confidence":0.9}]}"#, "rules[0].confidence"),
        (#"{"name":" ","rules":[{"kind":"statusChange"}]}"#, "name"),
        (#"{"name":"x","rules":[{"kind":"statusChange"}],"repeatIntervalHours":0}"#, "repeatIntervalHours"),
        (#"{"name":"x","rules":[{"kind":"statusChange"}],"channels":["a","a"]}"#, "channels"),
        (#"{"name":"x","scope":{"package":"tp-1"},"rules":[{"kind":"statusChange"}]}"#, "scope.package"),
        // Shape problems found while decoding are field errors too.
        (#"{"name":"x","rules":[{"kind":"usedRatioo","thresholds":[0.5]}]}"#, "rules[0].kind"),
        (#"{"name":"x","rules":[{"kind":"remainingBytes"}]}"#, "rules[0].below"),
        (#"{"name":"x","rules":[{"kind":"remainingBytes","below":"1T"}]}"#, "rules[0].below"),
        (#"{"name":"x","rules":[{"kind":"exhaustion","withinHours":1,"withinDays":3}]}"#, "rules[0].withinDays"),
        (#"{"name":"x","rules":[{"kind":"statusChange"}],"scoep":{}}"#, "scoep"),
        (#"{"name":"x","scope":{"policy":"weekly"},"rules":[{"kind":"statusChange"}]}"#, "scope.policy"),
        (#"{"rules":[{"kind":"statusChange"}]}"#, "name"),
    ])
    func invalidBudget_isRejectedNamingTheField(_ json: String, _ field: String) {
        #expect {
            _ = try Budget.decodeValidated(from: Data(json.utf8))
        } throws: { error in
            guard let e = error as? AppError else { return false }
            return e.code == .validationFailed && e.fieldErrors.contains { $0.field == field }
        }
    }

    @Test func brokenJSON_isInvalidArgument() {
        #expect {
            _ = try Budget.decodeValidated(from: Data("{not json".utf8))
        } throws: { error in
            (error as? AppError)?.code == .invalidArgument
        }
    }

    @Test func validate_listsEveryProblemAtOnce() {
        let b = Budget(name: "", rules: [.usedRatio(thresholds: [2]), .sourceStale(afterMinutes: .nan)], repeatIntervalHours: -1)
        #expect(Set(b.validate().map(\.field)) == ["name", "rules[0].thresholds[0]", "rules[1].afterMinutes", "repeatIntervalHours"])
    }

    @Test func scope_matchesPackagesAndSources() {
        let p = PackageState.make(id: "tp-1", account: "prod", region: "bj", policy: .offPeak)
        #expect(BudgetScope().matches(p))
        #expect(BudgetScope(account: "prod", region: "bj", policy: .offPeak, package: "bce:prod:bj:tp-1").matches(p))
        #expect(!BudgetScope(policy: .fullTime).matches(p))
        #expect(!BudgetScope(region: "gz").matches(p))
        #expect(!BudgetScope(package: "bce:prod:bj:tp-2").matches(p))
        #expect(BudgetScope(policy: .fullTime).matches(SourceID(account: "prod", region: "bj")))
        #expect(!BudgetScope(package: "bce:prod:bj:tp-2").matches(SourceID(account: "prod", region: "gz")))
    }
}
