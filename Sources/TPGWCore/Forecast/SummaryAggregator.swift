import Foundation

/// Totals packages, their forecasts and their pools' forecasts per region, account, policy or status. Pure.
package enum SummaryAggregator {
    /// Builds the summary.
    /// - Parameters:
    ///   - packages: every package to count (all statuses).
    ///   - forecasts: per-package forecasts; a package without one counts with no burn and no waste.
    ///   - pools: pool forecasts, attached to region and account groups (and the total).
    package static func summarize(
        packages: [PackageState], forecasts: [PackageKey: PackageForecast], pools: [PoolForecast], groupBy: SummaryGroupBy
    ) -> Summary {
        summarize(packages: packages, forecastAt: { forecasts[packages[$0].key] }, pools: pools, groupBy: groupBy)
    }

    /// Builds the summary from forecasts aligned with `packages` by index (no key hashing: 100,000 packages in a
    /// few milliseconds).
    package static func summarize(
        packages: [PackageState], alignedForecasts: [PackageForecast], pools: [PoolForecast], groupBy: SummaryGroupBy
    ) -> Summary {
        summarize(packages: packages, forecastAt: { alignedForecasts[$0] }, pools: pools, groupBy: groupBy)
    }

    private static func summarize(
        packages: [PackageState], forecastAt: (Int) -> PackageForecast?, pools: [PoolForecast], groupBy: SummaryGroupBy
    ) -> Summary {
        var groups: [String: SummaryGroup] = [:]
        var total = SummaryGroup(key: "all")
        for (i, p) in packages.enumerated() {
            let key = groupKey(p, groupBy)
            let f = forecastAt(i)
            add(p, f, to: &groups[key, default: SummaryGroup(key: key)])
            add(p, f, to: &total)
        }
        return finish(groups: groups, total: total, pools: pools, groupBy: groupBy)
    }

    /// Builds the summary from per-source cells: the same result as totalling the packages themselves (up to
    /// the order of floating-point additions), in time proportional to the number of sources.
    package static func summarize(cells: [SummaryCells], pools: [PoolForecast], groupBy: SummaryGroupBy) -> Summary {
        var groups: [String: SummaryGroup] = [:]
        var total = SummaryGroup(key: "all")
        for source in cells {
            for (i, cell) in source.cells.enumerated() where cell.packageCount > 0 {
                let key = source.groupKey(i, groupBy)
                merge(cell, into: &groups[key, default: SummaryGroup(key: key)])
                merge(cell, into: &total)
            }
        }
        return finish(groups: groups, total: total, pools: pools, groupBy: groupBy)
    }

    /// Attaches the pools (to region and account groups, and to the total) and sorts the groups by key.
    private static func finish(
        groups: [String: SummaryGroup], total: SummaryGroup, pools: [PoolForecast], groupBy: SummaryGroupBy
    ) -> Summary {
        var groups = groups
        var total = total
        let pools = pools.sorted { $0.source < $1.source }
        for pool in pools {
            if groupBy.groupsPools {
                let key = groupBy == .region ? pool.source.region : pool.source.account
                attach(pool, to: &groups[key, default: SummaryGroup(key: key)])
            }
            attach(pool, to: &total)
        }
        return Summary(groupBy: groupBy, groups: groups.values.sorted { $0.key < $1.key }, total: total)
    }

    /// Adds the package totals of `part` (not its pools) to `g`. Byte totals saturate at `Int64.max`.
    static func merge(_ part: SummaryGroup, into g: inout SummaryGroup) {
        g.packageCount += part.packageCount
        g.statusCounts.active += part.statusCounts.active
        g.statusCounts.usedUp += part.statusCounts.usedUp
        g.statusCounts.expired += part.statusCounts.expired
        g.statusCounts.released += part.statusCounts.released
        g.statusCounts.unknown += part.statusCounts.unknown
        g.capacityBytes.saturatingAdd(part.capacityBytes)
        g.usedBytes.saturatingAdd(part.usedBytes)
        g.remainingBytes.saturatingAdd(part.remainingBytes)
        g.burnBytesPerHour += part.burnBytesPerHour
        g.unusedAtExpiryBytes.saturatingAdd(part.unusedAtExpiryBytes)
        if let e = part.earliestExhaustion, isEarlier(e.at, e.key, than: g.earliestExhaustion) { g.earliestExhaustion = e }
        if let e = part.earliestExpiry, isEarlier(e.at, e.key, than: g.earliestExpiry) { g.earliestExpiry = e }
    }

    private static func groupKey(_ p: PackageState, _ by: SummaryGroupBy) -> String {
        switch by {
        case .region: p.key.region
        case .account: p.key.account
        case .policy: p.policy.rawValue
        case .status: p.status.rawValue
        }
    }

    static func add(_ p: PackageState, _ f: PackageForecast?, to g: inout SummaryGroup) {
        g.packageCount += 1
        g.statusCounts.add(p.status)
        guard p.status == .active else { return }
        g.capacityBytes.saturatingAdd(p.capacityBytes)
        g.usedBytes.saturatingAdd(min(p.usedBytes, p.capacityBytes))
        g.remainingBytes.saturatingAdd(p.remainingBytes)
        if let f {
            g.burnBytesPerHour += f.burnBytesPerHour
            g.unusedAtExpiryBytes.saturatingAdd(f.unusedAtExpiryBytes)
            if f.exhaustsBeforeExpiry, let at = f.exhaustsAt, isEarlier(at, p.key, than: g.earliestExhaustion) {
                g.earliestExhaustion = PackageTime(key: p.key, at: at)
            }
        }
        if isEarlier(p.expiresAt, p.key, than: g.earliestExpiry) {
            g.earliestExpiry = PackageTime(key: p.key, at: p.expiresAt)
        }
    }

    private static func attach(_ pool: PoolForecast, to g: inout SummaryGroup) {
        g.pools.append(SummaryGroup.Pool(pool))
        if !pool.unknown, let at = pool.emptyAt { g.poolEmptyAt = min(g.poolEmptyAt ?? at, at) }
    }

    /// Whether (`at`, `key`) comes before `current`; ties break by key so the result does not depend on input order.
    private static func isEarlier(_ at: Date, _ key: PackageKey, than current: PackageTime?) -> Bool {
        guard let current else { return true }
        if at != current.at { return at < current.at }
        return key < current.key
    }
}
