import Foundation
import Testing
@testable import TPGWCore

@Suite struct AlertEvaluatorTests {
    let now = d("2026-11-22T08:00:00Z")
    let bj = SourceID(account: "prod", region: "bj")

    func evaluate(
        _ rule: AlertRule, _ packages: [PackageState], forecasts: [PackageKey: PackageForecast] = [:],
        pools: [PoolForecast] = [], sources: [AlertSourceHealth] = [], previous: [PackageKey: PackageStatus] = [:],
        scope: BudgetScope = BudgetScope()
    ) -> [AlertCondition] {
        let budget = Budget(id: "b1", name: "runway", scope: scope, rules: [rule])
        return AlertEvaluator.evaluate(
            budget: budget, packages: packages, forecasts: forecasts,
            pools: Dictionary(uniqueKeysWithValues: pools.map { ($0.source, $0) }), sources: sources,
            previousStatuses: previous, now: now)
    }

    func forecast(exhaustsAt: Date?, before: Bool = true, unused: Int64 = 0) -> PackageForecast {
        PackageForecast(burnBytesPerHour: 1, exhaustsAt: exhaustsAt, exhaustsBeforeExpiry: before, unusedAtExpiryBytes: unused)
    }

    func pool(_ source: SourceID, active: Int = 1, remaining: Int64 = 10 * GiB, emptyAt: Date?) -> PoolForecast {
        PoolForecast(source: source, remainingBytes: remaining, activePackages: active, burnBytesPerHour: 1, demand: .flat(1),
                     nextExhaustion: nil, emptyAt: emptyAt, packages: [])
    }

    @Test func usedRatio_reportsTheHighestCrossedThreshold_andHeldValuesBelowIt() {
        let ps: [PackageState] = [
            .make(id: "low", used: 50 * GiB), .make(id: "mid", used: 85 * GiB), .make(id: "top", used: 96 * GiB),
            .make(id: "held", used: 79 * GiB), .make(id: "full", status: .usedUp, used: 100 * GiB),
        ]
        let c = evaluate(.usedRatio(thresholds: [0.8, 0.95]), ps)
        #expect(c.map(\.subject.packageKey?.id) == ["held", "mid", "top"])
        #expect(c.map(\.level) == [nil, 0, 1])
        #expect(c[1].threshold == 0.8)
        #expect(c[2].summary == "bce:prod:bj:top is 96% used (threshold 95%)")
        #expect(c[2].fingerprint == Fingerprint(budgetID: "b1", ruleIndex: 0, kind: .usedRatio, subject: .package(ps[2].key)))
    }

    @Test func usedRatio_perPool_usesActiveCapacity() {
        let ps: [PackageState] = [.make(id: "a", used: 90 * GiB), .make(id: "b", used: 70 * GiB), .make(id: "c", status: .expired, used: 0)]
        let c = evaluate(.usedRatio(thresholds: [0.8], per: .pool), ps)
        #expect(c.map(\.subject) == [.pool(bj)])
        #expect(c.first?.value == 0.8)
    }

    @Test func remainingBytes_perPackageAndPerPool() {
        let ps: [PackageState] = [.make(id: "a", used: 99 * GiB), .make(id: "b", used: 10 * GiB)]
        let perPackage = evaluate(.remainingBytes(below: 2 * GiB), ps)
        #expect(perPackage.map(\.subject.packageKey?.id) == ["a"])
        #expect(perPackage.first?.summary == "bce:prod:bj:a has 1 GiB left (alert at 2 GiB)")
        let perPool = evaluate(.remainingBytes(below: 100 * GiB, per: .pool), ps, pools: [pool(bj, active: 2, remaining: 91 * GiB, emptyAt: nil)])
        #expect(perPool.map(\.subject) == [.pool(bj)])
        #expect(perPool.first?.value == Double(91 * GiB))
    }

    @Test func exhaustion_withinHours_onlyWhenBeforeExpiry() {
        let ps: [PackageState] = [.make(id: "soon"), .make(id: "late"), .make(id: "expiresFirst"), .make(id: "never")]
        let f = [
            ps[0].key: forecast(exhaustsAt: now + 10 * hour),
            ps[1].key: forecast(exhaustsAt: now + 100 * hour),
            ps[2].key: forecast(exhaustsAt: now + 5 * hour, before: false),
            ps[3].key: forecast(exhaustsAt: nil, before: false),
        ]
        let c = evaluate(.exhaustion(withinHours: 72), ps, forecasts: f)
        #expect(c.map(\.subject.packageKey?.id) == ["soon"])
        #expect(c.first?.value == 10)
        #expect(c.first?.facts.at == now + 10 * hour)
    }

    @Test func exhaustion_perPool_usesTheSimulatedEmptyTime() {
        let c = evaluate(.exhaustion(withinHours: 24, per: .pool), [.make()], pools: [pool(bj, emptyAt: now + 20 * hour)])
        #expect(c.map(\.subject) == [.pool(bj)])
        #expect(c.first?.level == 0)
        let later = evaluate(.exhaustion(withinHours: 24, per: .pool), [.make()], pools: [pool(bj, emptyAt: now + 30 * hour)])
        #expect(later.isEmpty)
    }

    @Test func exhaustsBeforeExpiry_followsTheForecast() {
        let ps: [PackageState] = [.make(id: "a"), .make(id: "b")]
        let f = [ps[0].key: forecast(exhaustsAt: now + day), ps[1].key: forecast(exhaustsAt: now + 90 * day, before: false)]
        #expect(evaluate(.exhaustsBeforeExpiry, ps, forecasts: f).map(\.subject.packageKey?.id) == ["a"])
    }

    @Test func expiryWaste_needsBothTheExpiryWindowAndTheUnusedShare() {
        let ps: [PackageState] = [
            .make(id: "wasteful", expiresAt: now + 3 * day), .make(id: "far", expiresAt: now + 30 * day),
            .make(id: "frugal", expiresAt: now + 3 * day), .make(id: "noForecast", used: 90 * GiB, expiresAt: now + 2 * day),
        ]
        let f = [
            ps[0].key: forecast(exhaustsAt: nil, before: false, unused: 40 * GiB),
            ps[1].key: forecast(exhaustsAt: nil, before: false, unused: 90 * GiB),
            ps[2].key: forecast(exhaustsAt: nil, before: false, unused: 10 * GiB),
        ]
        let byRatio = evaluate(.expiryWaste(withinDays: 7, unusedBytesAbove: nil, unusedRatioAbove: 0.3), ps, forecasts: f)
        #expect(byRatio.map(\.subject.packageKey?.id) == ["wasteful"])
        #expect(byRatio.first?.facts.unusedBytes == 40 * GiB)
        let byBytes = evaluate(.expiryWaste(withinDays: 7, unusedBytesAbove: 5 * GiB, unusedRatioAbove: nil), ps, forecasts: f)
        #expect(byBytes.map(\.subject.packageKey?.id) == ["frugal", "noForecast", "wasteful"])
    }

    @Test func coverageGap_noActivePackage_orPoolEmptySoon() {
        let gz = SourceID(account: "prod", region: "gz")
        let su = SourceID(account: "prod", region: "su")
        let ps: [PackageState] = [
            .make(id: "a", region: "bj"), .make(id: "gone", region: "gz", status: .expired), .make(id: "c", region: "su"),
        ]
        let c = evaluate(.coverageGap(withinHours: 24), ps, pools: [
            pool(bj, emptyAt: now + 10 * hour), pool(gz, active: 0, emptyAt: now), pool(su, emptyAt: now + 90 * hour),
        ])
        #expect(c.map(\.subject) == [.pool(bj), .pool(gz)])
        #expect(c[1].summary == "pool bce:prod:gz has no active package: traffic is billed pay-as-you-go")
        // 0 hours: only sources with nothing left.
        let strict = evaluate(.coverageGap(withinHours: 0), ps, pools: [pool(bj, emptyAt: now + 10 * hour), pool(gz, active: 0, emptyAt: now)])
        #expect(strict.map(\.subject) == [.pool(gz)])
    }

    @Test func coverageGap_ignoresSourcesThatNeverHadPackages() {
        let empty = SourceID(account: "prod", region: "yq")
        #expect(evaluate(.coverageGap(withinHours: 24), [.make()], pools: [pool(empty, active: 0, emptyAt: now)]).isEmpty)
    }

    @Test func statusChange_firesForUsedUpExpiredAndReleased_once() {
        let ps: [PackageState] = [
            .make(id: "a", status: .usedUp), .make(id: "b", status: .expired), .make(id: "c", status: .released),
            .make(id: "same", status: .expired), .make(id: "new", status: .usedUp), .make(id: "back", status: .active),
        ]
        let previous: [PackageKey: PackageStatus] = [
            ps[0].key: .active, ps[1].key: .usedUp, ps[2].key: .expired, ps[3].key: .expired, ps[5].key: .usedUp,
        ]
        let c = evaluate(.statusChange, ps, previous: previous)
        #expect(c.map(\.subject.packageKey?.id) == ["a", "b", "c"])
        #expect(c.allSatisfy { $0.oneShot })
        #expect(c[0].summary == "bce:prod:bj:a is now usedUp (was active)")
        #expect(c[1].facts.previousStatus == .usedUp)
    }

    @Test func sourceStale_countsFromLastSuccessOrFromWatchStart() {
        let gz = SourceID(account: "prod", region: "gz")
        let su = SourceID(account: "prod", region: "su")
        let sources = [
            AlertSourceHealth(source: bj, lastSuccessAt: now - 45 * 60, watchedSince: now - day),
            AlertSourceHealth(source: gz, lastSuccessAt: now - 60, watchedSince: now - day),
            AlertSourceHealth(source: su, lastSuccessAt: nil, watchedSince: now - 2 * hour),
        ]
        let c = evaluate(.sourceStale(afterMinutes: 30), [], sources: sources)
        #expect(c.map(\.subject) == [.source(bj), .source(su)])
        #expect(c[0].value == 45)
        #expect(c[0].summary == "source bce:prod:bj not read successfully for 45 min")
        #expect(c[1].summary == "source bce:prod:su has never been read successfully (2 h)")
    }

    @Test func scope_limitsPackagesPoolsAndSources() {
        let gz = SourceID(account: "prod", region: "gz")
        let ps: [PackageState] = [.make(id: "a", region: "bj", used: 99 * GiB), .make(id: "b", region: "gz", used: 99 * GiB)]
        let scoped = evaluate(.usedRatio(thresholds: [0.9]), ps, scope: BudgetScope(region: "gz"))
        #expect(scoped.map(\.subject.packageKey?.id) == ["b"])
        let sources = [AlertSourceHealth(source: bj, lastSuccessAt: nil, watchedSince: now - day),
                       AlertSourceHealth(source: gz, lastSuccessAt: nil, watchedSince: now - day)]
        #expect(evaluate(.sourceStale(afterMinutes: 5), [], sources: sources, scope: BudgetScope(package: "bce:prod:gz:b")).map(\.subject) == [.source(gz)])
    }

    /// Every rule kind over 20,000 packages in 30 sources, most of them breaching one rule or more, far more than in
    /// practice: the alert engine runs this after every poll. (The figure: `tpgw-bench alert-evaluator`.)
    @Test func largeDeployment_evaluatesQuickly() throws {
        let n = 20_000
        let budget = try Budget.decodeValidated(from: Data(BudgetTests.productExample.replacingOccurrences(
            of: #""scope": {"account": "prod", "region": "bj", "policy": "fullTime", "package": "bce:prod:bj:tp-87V5cnkwqO"}, "#, with: "").utf8))
        var packages: [PackageState] = []
        var forecasts: [PackageKey: PackageForecast] = [:]
        var previous: [PackageKey: PackageStatus] = [:]
        for i in 0..<n {
            let region = Regions.bce[i % 10]
            let account = "acct\(i % 3)"
            let p = PackageState.make(
                id: "tp-\(i)", account: account, region: region, status: i % 50 == 0 ? .usedUp : .active,
                used: Int64(i % 100) * GiB, expiresAt: now + Double(1 + i % 60) * day)
            packages.append(p)
            forecasts[p.key] = forecast(exhaustsAt: now + Double(i % 200) * hour, before: i % 2 == 0, unused: Int64(i % 40) * GiB)
            previous[p.key] = .active
        }
        let sources = (0..<30).map { AlertSourceHealth(source: SourceID(account: "acct\($0 % 3)", region: Regions.bce[$0 % 10]), lastSuccessAt: now - Double($0) * 120, watchedSince: now - day) }
        let pools = Dictionary(uniqueKeysWithValues: sources.map { ($0.source, pool($0.source, active: 3000, emptyAt: now + 12 * hour)) })
        let clock = ContinuousClock()
        var count = 0
        let elapsed = clock.measure {
            count = AlertEvaluator.evaluate(budget: budget, packages: packages, forecasts: forecasts, pools: pools, sources: sources,
                                            previousStatuses: previous, now: now).count
        }
        #expect(count > 0)
        #expect(elapsed < .seconds(10), "took \(elapsed)")
        print("AlertEvaluator: 8 rules over \(n) packages gave \(count) conditions in \(elapsed)")
    }

    /// Many budgets of different scopes over shuffled packages: each budget sees exactly its scope (a package-scoped
    /// budget its one package, by parsed key), conditions come out ordered by subject, and the aligned-forecast
    /// entry point gives what the by-key one gives.
    @Test func scopes_overShuffledPackages_matchPerBudget_inSubjectOrder() {
        var packages: [PackageState] = []
        var forecasts: [PackageKey: PackageForecast] = [:]
        for i in 0..<60 {
            let p = PackageState.make(id: "tp-\(i)", account: i % 2 == 0 ? "prod" : "test", region: Regions.bce[i % 3],
                                      status: i % 7 == 0 ? .usedUp : .active, used: 96 * GiB)
            packages.append(p)
            forecasts[p.key] = forecast(exhaustsAt: now + Double(i) * hour)
        }
        packages.reverse()
        let rules: [AlertRule] = [.usedRatio(thresholds: [0.95]), .exhaustion(withinHours: 24)]
        let scopes = [BudgetScope(), BudgetScope(region: Regions.bce[1]), BudgetScope(account: "test", region: Regions.bce[2]),
                      BudgetScope(package: "bce:prod:\(Regions.bce[0]):tp-6"), BudgetScope(policy: .offPeak)]
        let budgets = scopes.enumerated().map { Budget(id: "b\($0)", name: "b", scope: $1, rules: rules) }
        let byKey = AlertEvaluator.evaluate(budgets: budgets, packages: packages, forecasts: forecasts, pools: [:], sources: [],
                                            previousStatuses: [:], now: now)
        let aligned = AlertEvaluator.evaluate(budgets: budgets, packages: packages, alignedForecasts: packages.map { forecasts[$0.key] },
                                              pools: [:], sources: [], previousStatuses: [:], now: now)
        #expect(byKey == aligned)
        for (budget, conditions) in zip(budgets, byKey) {
            let members = packages.filter { $0.status == .active && budget.scope.matches($0) }.map(\.key).sorted()
            let usedRatio = conditions.filter { $0.kind == .usedRatio }.compactMap(\.subject.packageKey)
            #expect(usedRatio == members, "\(budget.scope)")
            let exhaustion = conditions.filter { $0.kind == .exhaustion }.compactMap(\.subject.packageKey)
            #expect(exhaustion == members.filter { forecasts[$0]!.exhaustsAt! <= now + 24 * 1.05 * hour }, "\(budget.scope)")
        }
        #expect(byKey[3].map(\.subject.packageKey?.id) == ["tp-6", "tp-6"])
        #expect(byKey[4].isEmpty)
    }
}
