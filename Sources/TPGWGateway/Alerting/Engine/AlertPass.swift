import Foundation
import TPGWCore

/// One evaluation of every budget against the inputs, stepping each alert's state machine. Pure: `now` and the
/// stored states are passed in; the result says which states to write and which events to deliver.
package enum AlertPass {
    package struct Output: Sendable {
        /// States to write (new, changed status/level/notice, or a value refresh that is due).
        package var writes: [AlertState] = []
        /// Events to deliver, with the channels of their budget.
        var events: [(event: AlertEvent, channels: [String])] = []
        /// Alerts whose events go out at once, without the group's wait (a silence ended).
        var urgent: Set<Fingerprint> = []

        package init() {}
    }

    /// A firing alert whose value moved but that needs no notice is written at most this often.
    static let refreshInterval: TimeInterval = 600

    package static func run(
        budgets: [Budget], inputs: AlertInputs, existing: [Fingerprint: AlertState], previousStatuses: [PackageKey: PackageStatus],
        now: Date
    ) -> Output {
        // Fingerprints, not states: a pass over thousands of firing alerts looks up only those no condition saw.
        var firingByBudget: [String: [Fingerprint]] = [:]
        for (fingerprint, alert) in existing where alert.status == .firing {
            firingByBudget[alert.budgetID, default: []].append(fingerprint)
        }
        var out = Output()
        let all = AlertEvaluator.evaluate(
            budgets: budgets, packages: inputs.packages, alignedForecasts: inputs.alignedForecasts, pools: inputs.pools, sources: inputs.sources,
            previousStatuses: previousStatuses, now: now)
        for (budget, conditions) in zip(budgets, all) {
            var seen = Set<Fingerprint>()
            seen.reserveCapacity(conditions.count)
            for condition in conditions {
                seen.insert(condition.fingerprint)
                apply(existing[condition.fingerprint], condition, budget: budget, now: now, into: &out)
            }
            for fingerprint in firingByBudget[budget.id] ?? [] where !seen.contains(fingerprint) {
                apply(existing[fingerprint], nil, budget: budget, now: now, into: &out)
            }
        }
        return out
    }

    private static func apply(_ existing: AlertState?, _ condition: AlertCondition?, budget: Budget, now: Date, into out: inout Output) {
        let (state, events) = AlertStateMachine.step(existing: existing, condition: condition, now: now, repeatInterval: budget.repeatInterval)
        for event in events { out.events.append((event, budget.channels)) }
        guard let state, state != existing else { return }
        if let existing, events.isEmpty, !needsWrite(old: existing, new: state, now: now) { return }
        out.writes.append(state)
    }

    /// Whether a change that sent nothing is worth a write: lifecycle fields changed, or the value is stale.
    static func needsWrite(old: AlertState, new: AlertState, now: Date) -> Bool {
        if old.status != new.status || old.level != new.level || old.threshold != new.threshold || old.startedAt != new.startedAt
            || old.lastNotifiedAt != new.lastNotifiedAt || old.notifications != new.notifications || old.budgetName != new.budgetName
            || old.acknowledgement != new.acknowledgement || old.silencedBy != new.silencedBy {
            return true
        }
        return now.timeIntervalSince(old.updatedAt) >= refreshInterval
    }
}
