import Foundation
import TPGWCore

/// One source's part of the read view: its packages (in key order) with forecasts, its pool, its sort orders and
/// its summary totals. A poll or purchase rebuilds the segment of the source it touched; the rest of the view is
/// reused, so a change costs what one source costs, not what every package costs.
package struct ViewSegment: Sendable {
    package let source: SourceID
    /// When the segment was built (its forecasts are as of then).
    let builtAt: Date
    /// The store's version of the source when it was read (see `PostgresStore.sourceVersions`).
    let version: String?
    let packages: [PackageState]
    let forecasts: [PackageForecast]
    /// What each forecast was made from (aligned with `packages`): a later build reuses it while ``ForecastReuse`` admits.
    let stamps: [ForecastStamp]
    /// The rules the forecasts assume.
    let rules: PoolRules
    let index: [PackageKey: Int]
    let pool: PoolForecast
    let cells: SummaryCells
    /// Per sort field: the key of each package (aligned with `packages`) and the package indexes in ascending
    /// (key, then package key) order.
    let sortKeys: [PackageSortField: [Double]]
    let sortOrder: [PackageSortField: [Int]]

    /// Builds a source's segment. Pure: `now` is passed in.
    /// - Parameters:
    ///   - packages: the source's packages, any order.
    ///   - features: forecast features per active package (a package without any gets its lifetime average).
    ///   - rules: the account's off-peak window and draw order (its provider's defaults unless configured).
    ///   - previous: the source's segment in the current view: a package's forecast is reused when ``ForecastReuse``
    ///     admits it (no hour closed, remaining within 0.5 % of what the forecast was made from).
    static func build(
        source: SourceID, packages unsorted: [PackageState], features: ForecastFeatureSet, version: String?, now: Date,
        rules: PoolRules = .bce, previous: ViewSegment? = nil
    ) -> ViewSegment {
        let packages = unsorted.sorted { $0.key < $1.key }
        let made = forecasts(packages[...], features: features, rules: rules, previous: previous, now: now)
        return assemble(source: source, packages: packages, forecasts: made.forecasts, stamps: made.stamps, version: version, now: now, rules: rules)
    }

    /// The forecasts of some of a segment's `packages` (and their stamps), reusing `previous`'s where
    /// ``ForecastReuse`` admits and the rules did not change. Pure: the part of a build that is worth spreading over cores.
    static func forecasts(
        _ packages: ArraySlice<PackageState>, features: ForecastFeatureSet, rules: PoolRules, previous: ViewSegment?, now: Date
    ) -> (forecasts: [PackageForecast], stamps: [ForecastStamp]) {
        let previous = previous?.rules == rules ? previous : nil
        let empty = ForecastFeatures()
        var forecasts: [PackageForecast] = []
        var stamps: [ForecastStamp] = []
        forecasts.reserveCapacity(packages.count)
        stamps.reserveCapacity(packages.count)
        for p in packages {
            let f = features[p.key]
            if let previous, let f, let j = previous.index[p.key],
               ForecastReuse.admits(stamp: previous.stamps[j], old: previous.packages[j], new: p, features: f) {
                forecasts.append(previous.forecasts[j])
                stamps.append(previous.stamps[j])
                continue
            }
            forecasts.append(ProbabilisticForecaster.forecast(package: p, features: f ?? empty, now: now, offPeak: rules.offPeak))
            stamps.append(ForecastStamp(package: p, features: f))
        }
        return (forecasts, stamps)
    }

    /// A segment from its packages in key order and their aligned forecasts: the pool, sort orders and totals.
    static func assemble(
        source: SourceID, packages: [PackageState], forecasts: [PackageForecast], stamps: [ForecastStamp], version: String?, now: Date,
        rules: PoolRules
    ) -> ViewSegment {
        var index: [PackageKey: Int] = [:]
        index.reserveCapacity(packages.count)
        for (i, p) in packages.enumerated() { index[p.key] = i }

        var active: [PackageState] = []
        var activeForecasts: [PackageForecast] = []
        for (i, p) in packages.enumerated() where p.status == .active {
            active.append(p)
            activeForecasts.append(forecasts[i])
        }
        // The pool gets the same quantiles: its demand scaled by the spread of its packages' demand.
        let pool = PoolSimulator.simulateQuantiles(
            source: source, packages: active, demand: PoolDemand.estimate(packages: active, alignedForecasts: activeForecasts, window: rules.offPeak),
            sigma: PoolSimulator.demandSigma(alignedForecasts: activeForecasts), now: now, rules: rules)

        var sortKeys: [PackageSortField: [Double]] = [:]
        var sortOrder: [PackageSortField: [Int]] = [:]
        for field in PackageSortField.allCases {
            let keys: [Double] = packages.indices.map { i in
                switch field {
                case .expiresAt: packages[i].expiresAt.timeIntervalSince1970
                case .exhaustsAt: forecasts[i].exhaustsAt?.timeIntervalSince1970 ?? .infinity
                case .usedRatio: packages[i].usedRatio
                case .remainingBytes: Double(packages[i].remainingBytes)
                }
            }
            sortKeys[field] = keys
            // Ties break on the package key, whose order is the index order.
            sortOrder[field] = packages.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
        }
        return ViewSegment(
            source: source, builtAt: now, version: version, packages: packages, forecasts: forecasts, stamps: stamps, rules: rules,
            index: index, pool: pool,
            cells: SummaryCells(source: source, packages: packages, alignedForecasts: forecasts), sortKeys: sortKeys, sortOrder: sortOrder)
    }
}

extension ViewSegment {
    /// The traversal position of the first package after (`value`, `key`) in `field` order, ascending or
    /// descending: where the page after a cursor starts. Binary search.
    func position(after value: Double, _ key: PackageKey, field: PackageSortField, descending: Bool) -> Int {
        let keys = sortKeys[field]!
        let order = sortOrder[field]!
        let after: (Int) -> Bool = { i in
            let k = keys[i]
            if k != value { return descending ? k < value : k > value }
            return descending ? packages[i].key < key : key < packages[i].key
        }
        var lo = 0, hi = order.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let i = descending ? order[order.count - 1 - mid] : order[mid]
            if after(i) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
