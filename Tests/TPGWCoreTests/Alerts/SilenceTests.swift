import Foundation
import Testing
import TPGWCore

/// Silence matching and validation, table-tested with `now` passed in.
struct SilenceTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let key = PackageKey(provider: "bce", account: "prod", region: "bj", id: "tp-1")
    static let pkg = AlertSubject.package(key)
    static let pool = AlertSubject.pool(SourceID(provider: "tencent", account: "ops", region: "gz"))

    @Test(arguments: [
        // matchers, budget, kind, subject, expected
        (SilenceMatchers(budget: "b1"), "b1", AlertRule.Kind.usedRatio, pkg, true),
        (SilenceMatchers(budget: "b1"), "b2", .usedRatio, pkg, false),
        (SilenceMatchers(kind: .usedRatio), "b1", .usedRatio, pkg, true),
        (SilenceMatchers(kind: .exhaustion), "b1", .usedRatio, pkg, false),
        (SilenceMatchers(provider: "bce"), "b1", .usedRatio, pkg, true),
        (SilenceMatchers(provider: "tencent"), "b1", .usedRatio, pkg, false),
        (SilenceMatchers(provider: "tencent", region: "gz"), "b1", .coverageGap, pool, true),
        (SilenceMatchers(account: "prod", region: "bj"), "b1", .usedRatio, pkg, true),
        (SilenceMatchers(account: "prod", region: "sh"), "b1", .usedRatio, pkg, false),
        (SilenceMatchers(package: "bce:prod:bj:tp-1"), "b1", .usedRatio, pkg, true),
        (SilenceMatchers(package: "bce:prod:bj:tp-2"), "b1", .usedRatio, pkg, false),
        // A package matcher never mutes a pool or source alert.
        (SilenceMatchers(package: "bce:prod:bj:tp-1"), "b1", .coverageGap, .pool(key.source), false),
        (SilenceMatchers(budget: "b1", kind: .usedRatio, provider: "bce", account: "prod", region: "bj", package: "bce:prod:bj:tp-1"),
         "b1", .usedRatio, pkg, true),
        (SilenceMatchers(budget: "b1", kind: .statusChange), "b1", .usedRatio, pkg, false),
    ])
    func matchers_needEveryGivenFieldToMatch(_ m: SilenceMatchers, _ budget: String, _ kind: AlertRule.Kind, _ subject: AlertSubject,
                                             _ expected: Bool) {
        #expect(m.matches(budgetID: budget, kind: kind, subject: subject) == expected)
    }

    @Test(arguments: [
        (-10.0, false), (0.0, true), (1800.0, true), (3599.0, true), (3600.0, false), (7200.0, false),
    ])
    func isActive_fromStartUntilJustBeforeEnd(_ offset: TimeInterval, _ expected: Bool) {
        let s = Silence(id: "s", matchers: SilenceMatchers(budget: "b1"), startsAt: Self.t0, endsAt: Self.t0 + 3600, comment: "x", createdBy: "k")
        #expect(s.isActive(at: Self.t0 + offset) == expected)
        #expect(Silence.muting([s], budgetID: "b1", kind: .usedRatio, subject: Self.pkg, now: Self.t0 + offset)?.id == (expected ? "s" : nil))
    }

    @Test(arguments: [
        (SilenceMatchers(), 0.0, 3600.0, "c", ["matchers"]),
        (SilenceMatchers(package: "nope"), 0.0, 3600.0, "c", ["matchers.package"]),
        (SilenceMatchers(budget: ""), 0.0, 3600.0, "c", ["matchers.budget"]),
        (SilenceMatchers(budget: "b"), 3600.0, 60.0, "c", ["endsAt"]),
        (SilenceMatchers(budget: "b"), -7200.0, -3600.0, "c", ["endsAt"]),
        (SilenceMatchers(budget: "b"), 0.0, 400.0 * 86400, "c", ["endsAt"]),
        (SilenceMatchers(budget: "b"), 0.0, 3600.0, "  ", ["comment"]),
        (SilenceMatchers(budget: "b"), 0.0, 3600.0, "maintenance", []),
    ])
    func validate_namesEachBadField(_ m: SilenceMatchers, _ start: TimeInterval, _ end: TimeInterval, _ comment: String, _ fields: [String]) {
        let s = Silence(id: "s", matchers: m, startsAt: Self.t0 + start, endsAt: Self.t0 + end, comment: comment, createdBy: "k")
        #expect(Set(s.validate(now: Self.t0).map(\.field)) == Set(fields))
    }
}
