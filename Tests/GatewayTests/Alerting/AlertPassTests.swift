import Foundation
import Testing
import TPGWCore
@testable import TPGWGateway

/// The engine's pure pass over its in-memory alerts (no database): which alerts are written, resolved and muted,
/// and the indexes of `StoredAlerts` that let a pass skip the alerts no condition names.
@Suite struct AlertPassTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let gib: Int64 = 1 << 30

    static func package(_ id: String, ratio: Double) -> PackageState {
        PackageState(
            key: PackageKey(provider: "bce", account: "prod", region: "bj", id: id), policy: .fullTime, status: .active,
            capacityBytes: 100 * gib, usedBytes: Int64(ratio * Double(100 * gib)), createdAt: t0 - 864_000,
            activatedAt: t0 - 864_000, expiresAt: t0 + 2_592_000, observedAt: t0)
    }

    static let budget = Budget(id: "b1", name: "runway", rules: [.usedRatio(thresholds: [0.8])], channels: ["chn_1"])

    static func pass(_ ratios: [String: Double], existing: StoredAlerts, at now: Date, silences: [Silence] = []) -> AlertPass.Output {
        let inputs = AlertInputs(packages: ratios.sorted { $0.key < $1.key }.map { package($0.key, ratio: $0.value) })
        var out = AlertPass.run(budgets: [budget], inputs: inputs, existing: existing, previousStatuses: [:], now: now)
        AlertMuting.apply(&out, existing: existing, budgets: [budget.id: budget], silences: silences, now: now)
        return out
    }

    static func folded(_ existing: StoredAlerts, _ out: AlertPass.Output) -> StoredAlerts {
        var next = existing
        for state in out.writes { next.upsert(state) }
        return next
    }

    @Test func quietFiringAlerts_areNotWritten_theOneThatClears_isResolved() {
        let first = Self.pass(["tp-1": 0.9, "tp-2": 0.9, "tp-3": 0.9], existing: StoredAlerts(), at: Self.t0)
        #expect(first.writes.count == 3 && first.events.count == 3)
        let stored = Self.folded(StoredAlerts(), first)
        #expect(stored.firingCount[.usedRatio] == 3)

        // A minute later: tp-1 moved a little (no write), tp-2 cleared (resolved), tp-3 is gone from the inputs (resolved).
        let next = Self.pass(["tp-1": 0.91, "tp-2": 0.5], existing: stored, at: Self.t0 + 60)
        #expect(next.writes.map(\.subject.description).sorted() == ["package:bce:prod:bj:tp-2", "package:bce:prod:bj:tp-3"])
        #expect(next.writes.allSatisfy { $0.status == .resolved })
        #expect(next.events.map(\.event.kind) == [.resolved, .resolved])
        let after = Self.folded(stored, next)
        #expect(after.firingCount[.usedRatio] == 1)
        #expect(after.firing.map(\.subject.description) == ["package:bce:prod:bj:tp-1"])
        #expect(after.count == 3)
    }

    @Test func storedAlerts_indexesFollowEveryTransition() throws {
        let first = Self.pass(["tp-1": 0.9], existing: StoredAlerts(), at: Self.t0)
        var stored = Self.folded(StoredAlerts(), first)
        var alert = try #require(stored.firing.first)
        #expect(stored.silenced.isEmpty)
        alert.silencedBy = "sil_1"
        stored.upsert(alert)
        #expect(stored.silenced == [alert.fingerprint])
        #expect(stored.firingCount[.usedRatio] == 1)
        alert.status = .resolved
        alert.silencedBy = nil
        stored.upsert(alert)
        #expect(stored.silenced.isEmpty && stored.firing.isEmpty)
        #expect(stored.firingCount[.usedRatio] == 0)
        #expect(stored[alert.fingerprint]?.status == .resolved)
        #expect(stored.count == 1)
    }

    /// With no silence active the muting looks only at alerts still marked silenced: a marked alert notifies at once
    /// when its silence is gone.
    @Test func silenceGone_markedAlertNotifiesAtOnce() throws {
        let first = Self.pass(["tp-1": 0.9, "tp-2": 0.9], existing: StoredAlerts(), at: Self.t0)
        var stored = Self.folded(StoredAlerts(), first)
        var marked = try #require(stored.firing.first { $0.subject.description.hasSuffix("tp-1") })
        marked.silencedBy = "sil_gone"
        stored.upsert(marked)
        let next = Self.pass(["tp-1": 0.9, "tp-2": 0.9], existing: stored, at: Self.t0 + 60)
        #expect(next.events.map(\.event.kind) == [.firing])
        #expect(next.events.first?.event.alert.fingerprint == marked.fingerprint)
        #expect(next.urgent == [marked.fingerprint])
        #expect(next.writes.count == 1 && next.writes.first?.silencedBy == nil)
    }
}
