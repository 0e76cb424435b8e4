import Foundation
import TPGWCore

/// What one engine pass evaluates: the latest packages with forecasts, pool forecasts and source health
/// (taken from the current ``GatewayView``).
package struct AlertInputs: Sendable {
    package var packages: [PackageState]
    package var forecasts: [PackageKey: PackageForecast]
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
        var forecasts: [PackageKey: PackageForecast] = [:]
        forecasts.reserveCapacity(view.packageCount)
        var packages: [PackageState] = []
        packages.reserveCapacity(view.packageCount)
        for segment in view.segments {
            packages.append(contentsOf: segment.packages)
            for (i, p) in segment.packages.enumerated() { forecasts[p.key] = segment.forecasts[i] }
        }
        var pools: [SourceID: PoolForecast] = [:]
        for pool in view.pools where !pool.unknown { pools[pool.source] = pool }  // no inventory, no pool rule
        let sources = view.sources.map {
            AlertSourceHealth(source: $0.id, lastSuccessAt: $0.lastSuccessAt, watchedSince: watchedSince[$0.id] ?? $0.lastAttemptAt ?? now)
        }
        return AlertInputs(packages: packages, forecasts: forecasts, pools: pools, sources: sources)
    }
}
