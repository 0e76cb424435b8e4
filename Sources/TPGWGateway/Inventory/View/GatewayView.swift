import Foundation
import Synchronization
import TPGWCore

/// Everything the read API serves: per source a ``ViewSegment`` (packages with forecasts, pool, sort orders,
/// summary totals) and the sources' health, plus a ``ViewMemo`` where readers keep what they derive from this
/// view (the API's rendered summaries and first pages; see `API/ViewResponses.swift`).
///
/// Requests read an immutable view, so they never wait on upstream or on the database. A change of one source
/// replaces that source's segment (``replacing(_:sources:now:)``); summaries merge the segments' totals and pages
/// merge their sort orders, so neither walks every package.
package struct GatewayView: Sendable {
    /// What a view (or some of its segments) is built from, all read from the store.
    package struct Input: Sendable {
        package var packages: [PackageState]
        /// Forecast features of the active packages, up to date with their latest state (``ForecastFeatureStore``);
        /// a package without any is forecast from its lifetime average. Shares the store's storage.
        package var features: ForecastFeatureSet
        package var sources: [SourceStatus]
        /// The store's version per source when it was read.
        var versions: [SourceID: String] = [:]
        /// Per source, what its forecasts and pool simulation assume (off-peak window, draw order); Baidu's rules when absent.
        var rules: [SourceID: PoolRules] = [:]

        package init(
            packages: [PackageState], features: ForecastFeatureSet, sources: [SourceStatus], versions: [SourceID: String] = [:],
            rules: [SourceID: PoolRules] = [:]
        ) {
            self.packages = packages
            self.features = features
            self.sources = sources
            self.versions = versions
            self.rules = rules
        }

        /// Features folded from stored observations per package, then from each package's latest state (tests and
        /// tools that have rows rather than features).
        package init(packages: [PackageState], history: [PackageKey: [Snapshot]], sources: [SourceStatus], rules: [SourceID: PoolRules] = [:]) {
            var features: [PackageKey: ForecastFeatures] = [:]
            for p in packages {
                guard let snapshots = history[p.key] else { continue }
                var f = ForecastFeatures(observations: snapshots.map { (at: $0.observedAt, usedBytes: $0.usedBytes) })
                f.update(observedUsedBytes: p.usedBytes, at: p.observedAt)
                features[p.key] = f
            }
            self.init(packages: packages, features: ForecastFeatureSet(features), sources: sources, rules: rules)
        }
    }

    let generatedAt: Date
    /// In source order.
    package let segments: [ViewSegment]
    private let segmentIndex: [SourceID: Int]
    let sources: [SourceStatus]
    /// The pools of configured sources and of sources with active packages, in source order.
    let pools: [PoolForecast]
    package let packageCount: Int
    /// What readers derive from this view, made once per view.
    let memo: ViewMemo

    /// Builds every segment from `input`. Pure: `now` is passed in.
    package static func build(_ input: Input, now: Date) -> GatewayView {
        assemble(segments: segments(input, now: now), sources: input.sources, now: now)
    }

    /// The segments of the sources in `input` (every source with packages, and every listed source), or only of
    /// the sources in `only`; forecasts `ForecastReuse` admits are taken from `previous`'s segments.
    package static func segments(_ input: Input, only: Set<SourceID>? = nil, previous: GatewayView? = nil, now: Date) -> [ViewSegment] {
        let (sources, groups) = packagesBySource(input, only: only)
        return zip(sources, groups).map { source, packages in
            ViewSegment.build(
                source: source, packages: packages, features: input.features, version: input.versions[source], now: now,
                rules: input.rules[source] ?? .bce, previous: previous?.segment(source))
        }
    }

    /// The sources a build makes segments for, in order (every source with packages and every listed source, or only
    /// those in `only`), each with its packages in input order.
    private static func packagesBySource(_ input: Input, only: Set<SourceID>?) -> (sources: [SourceID], packages: [[PackageState]]) {
        var bySource: [SourceID: [PackageState]] = [:]
        for p in input.packages { bySource[p.key.source, default: []].append(p) }
        for s in input.sources where bySource[s.id] == nil { bySource[s.id] = [] }
        for s in only ?? [] where bySource[s] == nil { bySource[s] = [] }
        if let only { bySource = bySource.filter { only.contains($0.key) } }
        let sources = bySource.keys.sorted()
        return (sources, sources.map { bySource[$0]! })
    }

    /// ``segments(_:only:previous:now:)`` spread over every core, off the cooperative pool (a dedicated dispatch
    /// queue; the calling task only awaits): the sources' packages sorted per source, then the forecasts in chunks
    /// of ``forecastChunk`` packages across sources, then each segment's pool, sort orders and totals. Same result.
    package static func segmentsConcurrently(
        _ input: Input, only: Set<SourceID>? = nil, previous: GatewayView? = nil, now: Date
    ) async -> [ViewSegment] {
        let (sources, groups) = packagesBySource(input, only: only)
        return await ParallelWork.offPool {
            let sorted = ParallelWork.map(groups.count) { groups[$0].sorted { $0.key < $1.key } }
            var chunks: [(group: Int, range: Range<Int>)] = []
            for (g, packages) in sorted.enumerated() {
                for start in stride(from: 0, to: packages.count, by: forecastChunk) {
                    chunks.append((g, start..<min(start + forecastChunk, packages.count)))
                }
            }
            let made = ParallelWork.map(chunks.count) { c in
                let (g, range) = chunks[c]
                let source = sources[g]
                return ViewSegment.forecasts(
                    sorted[g][range], features: input.features, rules: input.rules[source] ?? .bce, previous: previous?.segment(source), now: now)
            }
            var forecasts = [[PackageForecast]](repeating: [], count: sorted.count)
            var stamps = [[ForecastStamp]](repeating: [], count: sorted.count)
            for (c, chunk) in chunks.enumerated() {
                if forecasts[chunk.group].isEmpty {
                    forecasts[chunk.group].reserveCapacity(sorted[chunk.group].count)
                    stamps[chunk.group].reserveCapacity(sorted[chunk.group].count)
                }
                forecasts[chunk.group].append(contentsOf: made[c].forecasts)
                stamps[chunk.group].append(contentsOf: made[c].stamps)
            }
            return ParallelWork.map(sorted.count) { g in
                ViewSegment.assemble(
                    source: sources[g], packages: sorted[g], forecasts: forecasts[g], stamps: stamps[g], version: input.versions[sources[g]],
                    now: now, rules: input.rules[sources[g]] ?? .bce)
            }
        }
    }

    /// Packages per unit of concurrent forecast work.
    static let forecastChunk = 1250

    /// This view with `replaced` segments swapped in (new sources added) and `sources` as the health.
    package func replacing(_ replaced: [ViewSegment], sources: [SourceStatus], now: Date) -> GatewayView {
        var bySource = Dictionary(uniqueKeysWithValues: segments.map { ($0.source, $0) })
        for segment in replaced { bySource[segment.source] = segment }
        return Self.assemble(segments: bySource.keys.sorted().map { bySource[$0]! }, sources: sources, now: now)
    }

    /// Joins segments into a view: pools now; what readers derive from it, on their first use.
    package static func assemble(segments: [ViewSegment], sources: [SourceStatus], now: Date) -> GatewayView {
        let configured = Set(sources.map(\.id))
        let neverRead = Set(sources.filter { !$0.inventoryKnown }.map(\.id))
        let view = GatewayView(
            generatedAt: now, segments: segments, segmentIndex: Dictionary(uniqueKeysWithValues: segments.enumerated().map { ($1.source, $0) }),
            sources: sources,
            pools: segments.filter { configured.contains($0.source) || $0.cells.hasActive }.map {
                // Nothing read yet: the pool is unknown, never an empty pool that "runs empty now".
                neverRead.contains($0.source) && !$0.cells.hasActive ? PoolForecast.unknown($0.source) : $0.pool
            },
            packageCount: segments.reduce(0) { $0 + $1.packages.count }, memo: ViewMemo())
        return view
    }

    /// The segment of `source`, if any.
    func segment(_ source: SourceID) -> ViewSegment? { segmentIndex[source].map { segments[$0] } }

    /// The package with its forecast, or nil.
    func package(_ key: PackageKey) -> PackageDTO? {
        guard let segment = segment(key.source), let i = segment.index[key] else { return nil }
        return PackageDTO(state: segment.packages[i], forecast: segment.forecasts[i])
    }

    /// Every package and its forecast, aligned by index, in key order within each source (for whole-view readers:
    /// metrics, status page, alerts).
    func flattened() -> (packages: [PackageState], forecasts: [PackageForecast]) {
        var packages: [PackageState] = []
        var forecasts: [PackageForecast] = []
        packages.reserveCapacity(packageCount)
        forecasts.reserveCapacity(packageCount)
        for segment in segments {
            packages.append(contentsOf: segment.packages)
            forecasts.append(contentsOf: segment.forecasts)
        }
        return (packages, forecasts)
    }

    /// Filters, sorts and pages: the selected packages, and where the next page starts (nil on the last page).
    /// Merges the matching segments' sort orders, so a page costs its size (times log of the number of sources),
    /// not the number of packages.
    func select(_ q: PackageSelection) -> (items: [PackageDTO], next: PackageSelection.Position?) {
        var merge = SegmentMerge(descending: q.descending)
        let cursor = q.after.map { (value: $0.value, key: $0.key) }
        for (s, segment) in segments.enumerated() where q.admits(segment.source) && !segment.packages.isEmpty {
            merge.add(segment: s, keys: segment.sortKeys[q.sort]!, order: segment.sortOrder[q.sort]!,
                      start: cursor.map { segment.position(after: $0.value, $0.key, field: q.sort, descending: q.descending) } ?? 0,
                      packages: segment.packages)
        }
        var items: [PackageDTO] = []
        var last: (segment: Int, index: Int)?
        var hasMore = false
        while let (s, i) = merge.next() {
            let segment = segments[s]
            let p = segment.packages[i]
            if !q.admits(p) { continue }
            if items.count == q.limit {
                hasMore = true
                break
            }
            items.append(PackageDTO(state: p, forecast: segment.forecasts[i]))
            last = (s, i)
        }
        var next: PackageSelection.Position?
        if hasMore, let (s, i) = last {
            let segment = segments[s]
            next = PackageSelection.Position(value: segment.sortKeys[q.sort]![i], key: segment.packages[i].key)
        }
        return (items, next)
    }
}
