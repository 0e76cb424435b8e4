import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
import TPGWStore
@testable import TPGWGateway

/// The engine against real PostgreSQL with a manual clock: every rule kind fires and resolves, escalation,
/// repeats, hysteresis, and nothing is re-sent after a restart or by another replica.
@Suite(.enabled(if: TestDatabase.isConfigured, "set TPGW_TEST_DATABASE_URL"))
struct AlertEngineTests {
    typealias F = AlertFixtures

    /// Breaching and clear inputs for one rule kind at `now`.
    static func scenario(_ kind: AlertRule.Kind) -> (rule: AlertRule, setup: AlertInputs?, breach: @Sendable (Date) -> AlertInputs,
                                                     clear: @Sendable (Date) -> AlertInputs) {
        let half = F.package(ratio: 0.5)
        switch kind {
        case .usedRatio:
            return (.usedRatio(thresholds: [0.8]), nil, { _ in AlertInputs(packages: [F.package(ratio: 0.9)]) },
                    { _ in AlertInputs(packages: [F.package(ratio: 0.1)]) })
        case .remainingBytes:
            return (.remainingBytes(below: 10 * F.gib), nil, { _ in AlertInputs(packages: [F.package(used: 99 * F.gib)]) },
                    { _ in AlertInputs(packages: [F.package(used: 10 * F.gib)]) })
        case .exhaustion, .exhaustsBeforeExpiry:
            let rule: AlertRule = kind == .exhaustion ? .exhaustion(withinHours: 72) : .exhaustsBeforeExpiry
            return (rule, nil, { now in
                AlertInputs(packages: [half], forecasts: [half.key: PackageForecast(
                    burnBytesPerHour: 5e9, exhaustsAt: now.addingTimeInterval(10 * 3600), exhaustsBeforeExpiry: true, unusedAtExpiryBytes: 0)])
            }, { _ in
                AlertInputs(packages: [half], forecasts: [half.key: PackageForecast(
                    burnBytesPerHour: 0, exhaustsAt: nil, exhaustsBeforeExpiry: false, unusedAtExpiryBytes: 50 * F.gib)])
            })
        case .expiryWaste:
            return (.expiryWaste(withinDays: 7, unusedBytesAbove: nil, unusedRatioAbove: 0.3), nil,
                    { _ in AlertInputs(packages: [F.package(used: 10 * F.gib, expiresIn: 3)]) },
                    { _ in AlertInputs(packages: [F.package(used: 95 * F.gib, expiresIn: 3)]) })
        case .coverageGap:
            return (.coverageGap(withinHours: 0), nil, { _ in AlertInputs(packages: [F.package(used: 100 * F.gib, status: .usedUp)]) },
                    { _ in AlertInputs(packages: [half]) })
        case .statusChange:
            return (.statusChange, AlertInputs(packages: [half]),
                    { _ in AlertInputs(packages: [F.package(used: 100 * F.gib, status: .usedUp)]) },
                    { _ in AlertInputs(packages: [F.package(used: 100 * F.gib, status: .usedUp)]) })
        case .sourceStale:
            return (.sourceStale(afterMinutes: 30), nil,
                    { now in AlertInputs(packages: [], sources: [AlertSourceHealth(source: F.source, lastSuccessAt: now.addingTimeInterval(-7200), watchedSince: F.t0)]) },
                    { now in AlertInputs(packages: [], sources: [AlertSourceHealth(source: F.source, lastSuccessAt: now.addingTimeInterval(-60), watchedSince: F.t0)]) })
        }
    }

    @Test(arguments: AlertRule.Kind.allCases)
    func ruleKind_firesThenResolves_withManualClock(kind: AlertRule.Kind) async throws {
        try await TestDatabase.with { db in
            let s = Self.scenario(kind)
            let channel = try await F.channel(db.store, url: "http://127.0.0.1:9/hook")
            try await F.budget(db.store, rules: [s.rule], channels: [channel.id])
            let inputs = LockedValue(s.setup ?? AlertInputs(packages: []))
            let engine = F.engine(db.store, inputs: inputs)
            if s.setup != nil { try await engine.evaluate(now: F.t0.addingTimeInterval(-60)) }

            inputs.withLock { $0 = s.breach(F.t0) }
            let fired = try await engine.evaluate(now: F.t0)
            #expect(fired.deliveries == 1, "\(kind) should fire once")
            let alerts = try await db.store.alerts(limit: 10)
            #expect(alerts.count == 1)
            #expect(alerts.first?.state == (kind == .statusChange ? "resolved" : "firing"))

            let later = F.t0.addingTimeInterval(3600)
            inputs.withLock { $0 = s.clear(later) }
            try await engine.evaluate(now: later)
            let events = try await F.deliveryEvents(db.store)
            // A status change is one-shot: it fires once and needs no resolved notice.
            #expect(events == (kind == .statusChange ? ["firing"] : ["firing", "resolved"]), "\(kind)")
            #expect(try await db.store.alerts(state: "firing", limit: 10).isEmpty)
        }
    }

    @Test func usedRatio_escalatesRepeatsAndResolves() async throws {
        try await TestDatabase.with { db in
            let channel = try await F.channel(db.store, url: "http://127.0.0.1:9/hook")
            try await F.budget(db.store, rules: [.usedRatio(thresholds: [0.5, 0.8])], channels: [channel.id], repeatHours: 24)
            let inputs = LockedValue(AlertInputs(packages: [F.package(ratio: 0.6)]))
            let engine = F.engine(db.store, inputs: inputs)
            let h: TimeInterval = 3600
            try await engine.evaluate(now: F.t0)
            inputs.withLock { $0 = AlertInputs(packages: [F.package(ratio: 0.85)]) }
            try await engine.evaluate(now: F.t0.addingTimeInterval(1 * h))
            inputs.withLock { $0 = AlertInputs(packages: [F.package(ratio: 0.86)]) }
            try await engine.evaluate(now: F.t0.addingTimeInterval(2 * h))
            try await engine.evaluate(now: F.t0.addingTimeInterval(24 * h))
            try await engine.evaluate(now: F.t0.addingTimeInterval(26 * h))
            inputs.withLock { $0 = AlertInputs(packages: [F.package(ratio: 0.1)]) }
            try await engine.evaluate(now: F.t0.addingTimeInterval(27 * h))
            #expect(try await F.deliveryEvents(db.store) == ["firing", "escalated", "repeat", "resolved"])
            let alert = try #require(try await db.store.alerts(limit: 1).first)
            #expect(alert.state == "resolved")
            #expect(alert.level == 1)
        }
    }

    @Test func hysteresis_flappingRatio_firesOnceAndResolvesOnlyPastTheMargin() async throws {
        try await TestDatabase.with { db in
            let channel = try await F.channel(db.store, url: "http://127.0.0.1:9/hook")
            try await F.budget(db.store, rules: [.usedRatio(thresholds: [0.8])], channels: [channel.id])
            let inputs = LockedValue(AlertInputs(packages: []))
            let engine = F.engine(db.store, inputs: inputs)
            for (i, ratio) in [0.81, 0.79, 0.805, 0.785, 0.81, 0.79, 0.8].enumerated() {
                inputs.withLock { $0 = AlertInputs(packages: [F.package(ratio: ratio)]) }
                try await engine.evaluate(now: F.t0.addingTimeInterval(Double(i) * 300))
            }
            #expect(try await F.deliveryEvents(db.store) == ["firing"])
            inputs.withLock { $0 = AlertInputs(packages: [F.package(ratio: 0.7)]) }
            try await engine.evaluate(now: F.t0.addingTimeInterval(3600))
            #expect(try await F.deliveryEvents(db.store) == ["firing", "resolved"])
        }
    }

    @Test func restart_resendsNothingAlreadyRecorded() async throws {
        try await TestDatabase.with { db in
            let channel = try await F.channel(db.store, url: "http://127.0.0.1:9/hook")
            try await F.budget(db.store, rules: [.usedRatio(thresholds: [0.8])], channels: [channel.id])
            let inputs = LockedValue(AlertInputs(packages: (1...5).map { F.package("tp-\($0)", ratio: 0.9) }))
            let first = try await F.engine(db.store, inputs: inputs).evaluate(now: F.t0)
            #expect(first.deliveries == 5)
            // A new process: empty cache, same database.
            let second = try await F.engine(db.store, inputs: inputs).evaluate(now: F.t0.addingTimeInterval(600))
            #expect(second.deliveries == 0)
            #expect(try await db.store.deliveries(limit: 100).count == 5)
        }
    }

    @Test func twoReplicas_seeEachOthersTransitions() async throws {
        try await TestDatabase.with { db in
            let channel = try await F.channel(db.store, url: "http://127.0.0.1:9/hook")
            try await F.budget(db.store, rules: [.usedRatio(thresholds: [0.8])], channels: [channel.id])
            let inputs = LockedValue(AlertInputs(packages: [F.package(ratio: 0.9)]))
            let a = F.engine(db.store, inputs: inputs)
            let b = F.engine(db.store, inputs: inputs)
            try await a.evaluate(now: F.t0)
            inputs.withLock { $0 = AlertInputs(packages: [F.package(ratio: 0.1)]) }
            try await b.evaluate(now: F.t0.addingTimeInterval(60))
            inputs.withLock { $0 = AlertInputs(packages: [F.package(ratio: 0.9)]) }
            // a's cache says "firing"; it must notice b resolved it and fire a new episode.
            try await a.evaluate(now: F.t0.addingTimeInterval(120))
            #expect(try await F.deliveryEvents(db.store) == ["firing", "resolved", "firing"])
        }
    }

    @Test func budgetChannels_eachGetADelivery_andDeletedBudgetTakesItsAlerts() async throws {
        try await TestDatabase.with { db in
            let c1 = try await F.channel(db.store, url: "http://127.0.0.1:9/a")
            let c2 = try await F.channel(db.store, format: .slack, url: "http://127.0.0.1:9/b")
            let id = try await F.budget(db.store, rules: [.usedRatio(thresholds: [0.8])], channels: [c1.id, c2.id])
            let inputs = LockedValue(AlertInputs(packages: [F.package(ratio: 0.9)]))
            let report = try await F.engine(db.store, inputs: inputs).evaluate(now: F.t0)
            #expect(report.deliveries == 2)
            #expect(Set(try await db.store.deliveries(limit: 10).map(\.channelID)) == [c1.id, c2.id])
            #expect(try await db.store.deleteBudget(id: id))
            #expect(try await db.store.alerts(limit: 10).isEmpty)
            #expect(try await db.store.deliveries(limit: 10).isEmpty)
        }
    }

    @Test func firingAlerts_reachTheStatusPageSeam_criticalFirst() async throws {
        try await TestDatabase.with { db in
            let channel = try await F.channel(db.store, url: "http://127.0.0.1:9/hook")
            try await F.budget(db.store, rules: [.usedRatio(thresholds: [0.8, 0.95])], channels: [channel.id])
            let inputs = LockedValue(AlertInputs(packages: [F.package("tp-a", ratio: 0.85), F.package("tp-b", ratio: 0.97)]))
            let seen = LockedValue<[StatusPageModel.Alert]>([])
            let engine = AlertEngine(store: db.store, logger: db.logger, onFiring: { firing in seen.withLock { $0 = Application.statusPageAlerts(firing) } }) {
                inputs.value
            }
            try await engine.evaluate(now: F.t0)
            #expect(seen.value.map(\.subject) == ["bce:prod:bj:tp-b", "bce:prod:bj:tp-a"])
            #expect(seen.value.map(\.severity) == [.critical, .warning])
            inputs.withLock { $0 = AlertInputs(packages: [F.package("tp-a", ratio: 0.1), F.package("tp-b", ratio: 0.1)]) }
            try await engine.evaluate(now: F.t0.addingTimeInterval(60))
            #expect(seen.value.isEmpty)
        }
    }
}
