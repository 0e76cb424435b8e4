import Foundation
import TPGWCore

/// One evaluation of every budget against the inputs, stepping each alert's state machine. Pure: `now` and the
/// stored states are passed in; the result says which states to write and which events to deliver (the state
/// machine decides both).
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

    package static func run(
        budgets: [Budget], inputs: AlertInputs, existing: StoredAlerts, previousStatuses: [PackageKey: PackageStatus],
        now: Date
    ) -> Output {
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
            // Fingerprints, not states: only the firing alerts no condition saw are looked up.
            for fingerprint in existing.firing(budgetID: budget.id) where !seen.contains(fingerprint) {
                apply(existing[fingerprint], nil, budget: budget, now: now, into: &out)
            }
        }
        return out
    }

    private static func apply(_ existing: AlertState?, _ condition: AlertCondition?, budget: Budget, now: Date, into out: inout Output) {
        let (state, events, write) = AlertStateMachine.step(existing: existing, condition: condition, now: now, repeatInterval: budget.repeatInterval)
        for event in events { out.events.append((event, budget.channels)) }
        if write, let state { out.writes.append(state) }
    }
}
