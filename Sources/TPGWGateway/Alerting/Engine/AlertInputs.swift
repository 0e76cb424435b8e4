import Foundation
import TPGWCore

/// What one engine pass evaluates: the latest packages with forecasts, pool forecasts and source health
/// (taken from the current ``GatewayView``).
package struct AlertInputs: Sendable {
    package var packages: [PackageState] { didSet { aligned = nil } }
    package var forecasts: [PackageKey: PackageForecast] { didSet { aligned = nil } }
    /// The forecast at each position of `packages`, when built from a view (the evaluator then looks up nothing by
    /// key); nil after either field is changed.
    private(set) var aligned: [PackageForecast?]?
    package var pools: [SourceID: PoolForecast]
    package var sources: [AlertSourceHealth]

    package init(packages: [PackageState], forecasts: [PackageKey: PackageForecast] = [:], pools: [SourceID: PoolForecast] = [:],
         sources: [AlertSourceHealth] = []) {
        self.packages = packages
        self.forecasts = forecasts
        self.pools = pools
        self.sources = sources
    }

    /// The inputs of a view; a source never read is watched since `watchedSince[source]` (or `now`).
    static func from(_ view: GatewayView, watchedSince: [SourceID: Date], now: Date) -> AlertInputs {
        var aligned: [PackageForecast?] = []
        aligned.reserveCapacity(view.packageCount)
        var packages: [PackageState] = []
        packages.reserveCapacity(view.packageCount)
        for segment in view.segments {
            packages.append(contentsOf: segment.packages)
            aligned.append(contentsOf: segment.forecasts.lazy.map { Optional($0) })
        }
        var pools: [SourceID: PoolForecast] = [:]
        for pool in view.pools where !pool.unknown { pools[pool.source] = pool }  // no inventory, no pool rule
        let sources = view.sources.map {
            AlertSourceHealth(source: $0.id, lastSuccessAt: $0.lastSuccessAt, watchedSince: watchedSince[$0.id] ?? $0.lastAttemptAt ?? now)
        }
        var inputs = AlertInputs(packages: packages, pools: pools, sources: sources)
        inputs.aligned = aligned
        return inputs
    }

    /// Each package's forecast at its position (from the view, or looked up once in `forecasts`).
    var alignedForecasts: [PackageForecast?] { aligned ?? packages.map { forecasts[$0.key] } }
}
