import Foundation
import Testing
@testable import TPGWCore

@Suite struct AlertStateMachineTests {
    let start = d("2026-11-22T00:00:00Z")
    let mib: Int64 = 1 << 20

    /// The condition the evaluator yields for one package at `ratio` against thresholds 0.8 and 0.95.
    func condition(_ ratio: Double) -> AlertCondition? {
        let p = PackageState.make(capacity: 1000 * mib, used: Int64((ratio * 1000).rounded()) * mib)
        let budget = Budget(id: "b1", name: "runway", rules: [.usedRatio(thresholds: [0.8, 0.95])])
        return AlertEvaluator.evaluate(budget: budget, packages: [p], forecasts: [:], pools: [:], sources: [], previousStatuses: [:], now: start).first
    }

    /// Runs a series (one value per hour) through evaluator and state machine; returns the events by step.
    func run(_ ratios: [Double], repeatEvery: TimeInterval = day) -> [String] {
        var state: AlertState?
        var log: [String] = []
        for (i, r) in ratios.enumerated() {
            let (next, events, _) = AlertStateMachine.step(existing: state, condition: condition(r), now: start + Double(i) * hour, repeatInterval: repeatEvery)
            state = next
            log.append(events.map { "\($0.kind.rawValue)\($0.alert.level)" }.joined(separator: ","))
        }
        return log
    }

    @Test func flappingSeries_firesOnce_escalatesOnce_resolvesOnlyPastTheMargin() {
        let series = [0.79, 0.80, 0.79, 0.81, 0.795, 0.785, 0.77, 0.80, 0.96, 0.94, 0.96, 0.92, 0.96, 0.5]
        let expected = ["", "firing0", "", "", "", "", "resolved0", "firing0", "escalated1", "", "", "", "escalated1", "resolved1"]
        #expect(run(series) == expected)
    }

    @Test func crossingTwoThresholdsAtOnce_firesAtTheHigherLevel() {
        #expect(run([0.5, 0.97, 0.99]) == ["", "firing1", ""])
    }

    @Test func stillFiring_repeatsEveryInterval() {
        let log = run(Array(repeating: 0.85, count: 50), repeatEvery: day)
        #expect(log[0] == "firing0")
        #expect(log.enumerated().filter { $0.element == "repeat0" }.map(\.offset) == [24, 48])
        #expect(log.filter { !$0.isEmpty }.count == 3)
    }

    @Test func repeatIntervalZero_neverRepeats() {
        #expect(run(Array(repeating: 0.85, count: 30), repeatEvery: 0).filter { !$0.isEmpty } == ["firing0"])
    }

    @Test func resolved_carriesResolvedStateAndTime() throws {
        let (firing, _, _) = AlertStateMachine.step(existing: nil, condition: condition(0.9), now: start, repeatInterval: day)
        let (resolved, events, _) = AlertStateMachine.step(existing: firing, condition: nil, now: start + hour, repeatInterval: day)
        let event = try #require(events.first)
        #expect(event.kind == .resolved)
        #expect(resolved?.status == .resolved)
        #expect(resolved?.resolvedAt == start + hour)
        #expect(resolved?.startedAt == start)
        #expect(resolved?.notifications == 2)
        // A resolved alert with nothing breaching stays quiet.
        let (again, none, _) = AlertStateMachine.step(existing: resolved, condition: nil, now: start + 2 * hour, repeatInterval: day)
        #expect(none.isEmpty)
        #expect(again == resolved)
    }

    @Test func heldValueWithoutAnAlert_firesNothing() {
        let (state, events, _) = AlertStateMachine.step(existing: nil, condition: condition(0.79), now: start, repeatInterval: day)
        #expect(state == nil)
        #expect(events.isEmpty)
    }

    @Test func statusChange_firesOnceAndResolvesOnItsOwn() throws {
        let p = PackageState.make(status: .usedUp, used: 100 * GiB)
        let budget = Budget(id: "b1", name: "status", rules: [.statusChange])
        func condition(_ p: PackageState, was: PackageStatus) -> AlertCondition? {
            AlertEvaluator.evaluate(budget: budget, packages: [p], forecasts: [:], pools: [:], sources: [], previousStatuses: [p.key: was], now: start).first
        }
        let usedUp = try #require(condition(p, was: .active))
        let (s1, e1, _) = AlertStateMachine.step(existing: nil, condition: usedUp, now: start, repeatInterval: day)
        #expect(e1.map(\.kind) == [.firing])
        #expect(e1.first?.alert.status == .firing)
        #expect(s1?.status == .resolved)
        // The same change seen again (stale previous statuses) is not news.
        let (s2, e2, _) = AlertStateMachine.step(existing: s1, condition: usedUp, now: start + hour, repeatInterval: day)
        #expect(e2.isEmpty)
        // Nothing changing: no resolved notice.
        let (s3, e3, _) = AlertStateMachine.step(existing: s2, condition: nil, now: start + 2 * hour, repeatInterval: day)
        #expect(e3.isEmpty)
        // A further change of the same package fires again.
        var expired = p
        expired.status = .expired
        let (_, e4, _) = AlertStateMachine.step(existing: s3, condition: condition(expired, was: .usedUp), now: start + 3 * hour, repeatInterval: day)
        #expect(e4.map(\.kind) == [.firing])
        #expect(e4.first?.alert.summary == "bce:prod:bj:tp-1 is now expired (was usedUp)")
    }

    @Test func remainingBytes_resolvesOnlyAfterATopUpPastFivePercent() {
        let budget = Budget(id: "b1", name: "pool", rules: [.remainingBytes(below: 100 * GiB, per: .pool)])
        var state: AlertState?
        var log: [String] = []
        for (i, remaining) in [Int64(120), 99, 101, 104, 99, 106].enumerated() {
            let pool = PoolForecast(source: SourceID(account: "prod", region: "bj"), remainingBytes: remaining * GiB, activePackages: 1,
                                    burnBytesPerHour: 0, demand: .flat(0), nextExhaustion: nil, emptyAt: nil, packages: [])
            let c = AlertEvaluator.evaluate(budget: budget, packages: [.make()], forecasts: [:], pools: [pool.source: pool], sources: [],
                                            previousStatuses: [:], now: start).first
            let (next, events, _) = AlertStateMachine.step(existing: state, condition: c, now: start + Double(i) * hour, repeatInterval: day)
            state = next
            log.append(events.map(\.kind.rawValue).joined())
        }
        #expect(log == ["", "firing", "", "", "", "resolved"])
    }

    /// Most alerts of most passes: still firing, the value moved a little, nothing to send. The stored alert is left
    /// as it is (no write) until a refresh is due, then written with the new value and summary.
    @Test func stillFiring_valueMoved_isWrittenOnlyWhenTheRefreshIsDue() throws {
        let (first, _, _) = AlertStateMachine.step(existing: nil, condition: condition(0.85), now: start, repeatInterval: day)
        let firing = try #require(first)
        let soon = AlertStateMachine.step(existing: firing, condition: condition(0.86), now: start + 60, repeatInterval: day)
        #expect(soon.write == false)
        #expect(soon.events.isEmpty)
        #expect(soon.state == firing)
        let due = AlertStateMachine.step(
            existing: firing, condition: condition(0.86), now: start + AlertStateMachine.refreshInterval, repeatInterval: day)
        #expect(due.write == true)
        #expect(due.events.isEmpty)
        #expect(due.state?.value == 0.86)
        #expect(due.state?.summary.contains("86%") == true)
        #expect(due.state?.updatedAt == start + AlertStateMachine.refreshInterval)
    }

    /// A lifecycle change is written at once even when it sends nothing: a renamed budget, a level dropped silently.
    @Test func stillFiring_lifecycleChange_isWrittenAtOnce() throws {
        let (first, _, _) = AlertStateMachine.step(existing: nil, condition: condition(0.97), now: start, repeatInterval: day)
        let firing = try #require(first)
        var renamed = try #require(condition(0.97))
        renamed.budgetName = "renamed"
        let rename = AlertStateMachine.step(existing: firing, condition: renamed, now: start + 60, repeatInterval: day)
        #expect(rename.write && rename.events.isEmpty && rename.state?.budgetName == "renamed")
        // 0.97 -> 0.80: below 0.95 by more than the margin, so level 1 drops to 0 without a notice.
        let drop = AlertStateMachine.step(existing: firing, condition: condition(0.8), now: start + 60, repeatInterval: day)
        #expect(drop.write && drop.events.isEmpty && drop.state?.level == 0)
    }

    /// Copies share their fields until one is changed; the change never shows in the other.
    @Test func alertState_copyIsIndependentOfTheOriginal() throws {
        let (first, _, _) = AlertStateMachine.step(existing: nil, condition: condition(0.9), now: start, repeatInterval: day)
        let original = try #require(first)
        var copy = original
        #expect(copy == original)
        copy.silencedBy = "sil_1"
        copy.level = 1
        #expect(original.silencedBy == nil && original.level == 0)
        #expect(copy.silencedBy == "sil_1" && copy.level == 1)
        #expect(copy != original)
    }

    @Test func alertState_jsonRoundTrips() throws {
        let (state, _, _) = AlertStateMachine.step(existing: nil, condition: condition(0.9), now: start, repeatInterval: day)
        let s = try #require(state)
        let json = try JSONEncoder().encode(s)
        #expect(try JSONDecoder().decode(AlertState.self, from: json) == s)
        #expect(String(decoding: json, as: UTF8.self).contains(#""startedAt":"2026-11-22T00:00:00Z""#))
    }
}
