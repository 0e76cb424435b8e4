import Foundation

/// Decides which subjects currently breach a budget's rules. Pure: no I/O, `now` passed in.
///
/// Package rules look at active packages in scope (status changes at every status). Pool and source rules
/// look at the sources in scope that have packages or a pool forecast (and, for `sourceStale`, every watched
/// source). A condition is also returned for a subject that no longer breaches but is still inside the
/// clear margin (``AlertCondition/level`` nil), so ``AlertStateMachine`` can keep a firing alert from flapping.
package enum AlertEvaluator {
    /// Conditions of every rule of `budget`, ordered by rule index then subject.
    /// - Parameters:
    ///   - packages: latest package states (all statuses).
    ///   - forecasts: per-package forecasts; a package without one has no exhaustion and wastes its remaining bytes.
    ///   - pools: pool forecasts per source.
    ///   - sources: poll health of every watched source.
    ///   - previousStatuses: package statuses at the previous evaluation (for `statusChange`).
    package static func evaluate(
        budget: Budget, packages: [PackageState], forecasts: [PackageKey: PackageForecast],
        pools: [SourceID: PoolForecast], sources: [AlertSourceHealth], previousStatuses: [PackageKey: PackageStatus],
        now: Date
    ) -> [AlertCondition] {
        evaluate(budgets: [budget], packages: packages, forecasts: forecasts, pools: pools, sources: sources,
                 previousStatuses: previousStatuses, now: now)[0]
    }

    /// Conditions of every budget (one array per budget, in order). Budgets with the same scope share the
    /// scope's pre-filtered packages, forecasts and status changes, so many budgets over the same packages cost
    /// little more than one.
    package static func evaluate(
        budgets: [Budget], packages: [PackageState], forecasts: [PackageKey: PackageForecast],
        pools: [SourceID: PoolForecast], sources: [AlertSourceHealth], previousStatuses: [PackageKey: PackageStatus],
        now: Date
    ) -> [[AlertCondition]] {
        evaluate(budgets: budgets, packages: packages, alignedForecasts: packages.map { forecasts[$0.key] }, pools: pools,
                 sources: sources, previousStatuses: previousStatuses, now: now)
    }

    /// As above with each package's forecast at its position in `packages` (what the view holds): no lookups by key.
    package static func evaluate(
        budgets: [Budget], packages: [PackageState], alignedForecasts: [PackageForecast?],
        pools: [SourceID: PoolForecast], sources: [AlertSourceHealth], previousStatuses: [PackageKey: PackageStatus],
        now: Date
    ) -> [[AlertCondition]] {
        precondition(alignedForecasts.count == packages.count, "one forecast slot per package")
        var inputs: [BudgetScope: Input] = [:]
        return budgets.map { budget in
            var input = inputs[budget.scope] ?? Input(
                budget: budget, packages: packages, alignedForecasts: alignedForecasts, pools: pools, sources: sources,
                previousStatuses: previousStatuses, now: now)
            inputs[budget.scope] = input
            input.budget = budget
            return conditions(input)
        }
    }

    private static func conditions(_ input: Input) -> [AlertCondition] {
        var out: [AlertCondition] = []
        for (index, rule) in input.budget.rules.enumerated() {
            let conditions = input.conditions(rule: rule, index: index)
            out.reserveCapacity(out.count + conditions.count)
            // Input in order (the store lists packages by key, pools are sorted) costs one pass and at most one copy; the
            // rest is ordered by positions on plain sort keys, not by moving the (large) conditions around.
            if !conditions.indices.dropFirst().contains(where: { conditions[$0].subject < conditions[$0 - 1].subject }) {
                if out.isEmpty { out = conditions } else { out.append(contentsOf: conditions) }
            } else {
                let keys = conditions.map(\.subject.sortKey)
                for i in conditions.indices.sorted(by: { keys[$0] < keys[$1] }) { out.append(conditions[i]) }
            }
        }
        return out
    }

    /// Everything one evaluation looks at, pre-filtered to the budget's scope.
    struct Input {
        /// The budget being evaluated; budgets of the same scope reuse one input with this replaced.
        var budget: Budget
        let packages: [PackageState]
        let pools: [SourceID: PoolForecast]
        let sources: [AlertSourceHealth]
        let previousStatuses: [PackageKey: PackageStatus]
        let now: Date
        /// Active packages in scope, all and per source.
        let active: [PackageState]
        let activeBySource: [SourceID: ArraySlice<PackageState>]
        /// The forecast of each `active` package (same positions).
        let activeForecasts: [PackageForecast?]
        /// Packages in scope whose status changed since the previous evaluation to a non-active one.
        let changed: [(package: PackageState, before: PackageStatus)]
        /// Sources in scope that have packages or a pool forecast.
        let poolSources: [SourceID]

        /// The scope's share of `packages` (all statuses) and of their forecasts (same positions).
        init(
            budget: Budget, packages all: [PackageState], alignedForecasts: [PackageForecast?], pools: [SourceID: PoolForecast],
            sources: [AlertSourceHealth], previousStatuses: [PackageKey: PackageStatus], now: Date
        ) {
            self.budget = budget
            self.pools = pools
            self.sources = sources
            self.previousStatuses = previousStatuses
            self.now = now
            // Positions, not copies, until the scope's members are known.
            let scope = budget.scope
            let key = scope.packageKey
            let inScope = scope.isEverything ? Array(all.indices) : all.indices.filter { scope.matches(all[$0], packageKey: key) }
            let activeAt = inScope.filter { all[$0].status == .active }
            // Everything in scope and active (the usual case for an unscoped budget) shares `all`'s storage.
            packages = inScope.count == all.count ? all : inScope.map { all[$0] }
            active = activeAt.count == all.count ? all : activeAt.map { all[$0] }
            activeForecasts = activeAt.count == all.count ? alignedForecasts : activeAt.map { alignedForecasts[$0] }
            var bySource: [SourceID: ArraySlice<PackageState>] = [:]
            var gathered: [SourceID: [PackageState]] = [:]
            var start = 0
            // `all` is ordered by key, so each source's packages are one run, a slice of `active` (no copy); a source
            // in several runs (input out of order) is gathered into one array, appended in place (rebuilding it at
            // every run made unordered input quadratic: 7.7 s for 100,000 packages interleaved over 30 sources).
            while start < active.count {
                let source = active[start].key.source
                var end = start + 1
                while end < active.count, active[end].key.source == source { end += 1 }
                if gathered[source] != nil {
                    gathered[source]!.append(contentsOf: active[start..<end])
                } else if let earlier = bySource.removeValue(forKey: source) {
                    gathered[source] = Array(earlier) + active[start..<end]
                } else {
                    bySource[source] = active[start..<end]
                }
                start = end
            }
            for (source, packages) in gathered { bySource[source] = packages[...] }
            activeBySource = bySource
            if previousStatuses.isEmpty {
                changed = []
            } else {
                changed = inScope.compactMap { i in
                    let p = all[i]
                    guard p.status != .active, let before = previousStatuses[p.key], before != p.status else { return nil }
                    return (p, before)
                }
            }
            var set = Set(activeBySource.keys)
            for i in inScope where all[i].status != .active { set.insert(all[i].key.source) }
            for (source, pool) in pools where scope.matches(source, packageKey: key) && pool.activePackages > 0 { set.insert(source) }
            poolSources = set.sorted()
        }

        /// Builds a condition when `value` breaches or is held by `hysteresis`; nil when clear. With `hold`, a firing
        /// alert is held by that value instead (the forecast rules hold on a more cautious quantile than they fire on).
        func condition(
            _ index: Int, _ kind: AlertRule.Kind, _ subject: AlertSubject, _ hysteresis: Hysteresis, _ value: Double,
            hold: Double? = nil, facts: AlertFacts = AlertFacts(), oneShot: Bool = false,
            summary: @escaping @Sendable (Double) -> String
        ) -> AlertCondition? {
            let level = hysteresis.breachedLevel(value)
            var held = hysteresis.heldLevel(value)
            if let hold, let h = hysteresis.heldLevel(hold), h > (held ?? -1) { held = h }
            if let level, level > (held ?? -1) { held = level }
            guard let held else { return nil }
            let threshold = hysteresis.thresholds[level ?? held]
            return AlertCondition(
                fingerprint: Fingerprint(budgetID: budget.id, ruleIndex: index, kind: kind, subject: subject),
                budgetID: budget.id, budgetName: budget.name, ruleIndex: index, kind: kind, subject: subject,
                level: level, heldLevel: held, value: value, threshold: threshold, oneShot: oneShot, facts: facts,
                renderSummary: summary)
        }

        func hours(until date: Date) -> Double { date.timeIntervalSince(now) / 3600 }
    }
}
