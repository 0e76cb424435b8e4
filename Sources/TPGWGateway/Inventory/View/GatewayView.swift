import Foundation
import Synchronization
import TPGWCore

/// Everything the read API serves: per source a ``ViewSegment`` (packages with forecasts, pool, sort orders,
/// summary totals), the sources' health, and pre-rendered bytes for the summaries and the first pages of
/// `/v1/packages`.
///
/// Requests read an immutable view, so they never wait on upstream or on the database. A change of one source
/// replaces that source's segment (``replacing(_:sources:now:)``); summaries merge the segments' totals and pages
/// merge their sort orders, so neither walks every package.
struct GatewayView: Sendable {
    /// What a view (or some of its segments) is built from, all read from the store.
    struct Input: Sendable {
        var packages: [PackageState]
        /// Snapshots of the trailing forecast window, per package.
        var history: [PackageKey: [Snapshot]]
        var sources: [SourceStatus]
        /// The store's version per source when it was read.
        var versions: [SourceID: String] = [:]
        /// Per source, what its pool simulation assumes (off-peak window, draw order); Baidu's rules when absent.
        var rules: [SourceID: PoolRules] = [:]
    }

    let generatedAt: Date
    /// In source order.
    let segments: [ViewSegment]
    private let segmentIndex: [SourceID: Int]
    let sources: [SourceStatus]
    /// The pools of configured sources and of sources with active packages, in source order.
    let pools: [PoolForecast]
    let packageCount: Int
    /// Summaries and first pages, rendered on first request (the region summary and the default first page
    /// when the view is assembled), then served from bytes until the next change.
    private let summaries: RenderCache<SummaryGroupBy>
    private let firstPages: RenderCache<FirstPageKey>

    static let firstPageLimit = 100

    /// An unfiltered first page is one sort field in one direction.
    private struct FirstPageKey: Hashable, Sendable {
        var sort: PackageQuery.SortField
        var descending: Bool
    }

    /// Builds every segment from `input`. Pure: `now` is passed in.
    static func build(_ input: Input, now: Date, window: TimeInterval = Forecaster.defaultWindow) -> GatewayView {
        assemble(segments: segments(input, now: now, window: window), sources: input.sources, now: now)
    }

    /// The segments of the sources in `input` (every source with packages, and every listed source), or only of
    /// the sources in `only`.
    static func segments(_ input: Input, only: Set<SourceID>? = nil, now: Date, window: TimeInterval = Forecaster.defaultWindow) -> [ViewSegment] {
        var bySource: [SourceID: [PackageState]] = [:]
        for p in input.packages { bySource[p.key.source, default: []].append(p) }
        for s in input.sources where bySource[s.id] == nil { bySource[s.id] = [] }
        for s in only ?? [] where bySource[s] == nil { bySource[s] = [] }
        if let only { bySource = bySource.filter { only.contains($0.key) } }
        return bySource.keys.sorted().map { source in
            ViewSegment.build(
                source: source, packages: bySource[source]!, history: input.history, version: input.versions[source], now: now, window: window,
                rules: input.rules[source] ?? .bce)
        }
    }

    /// This view with `replaced` segments swapped in (new sources added) and `sources` as the health.
    func replacing(_ replaced: [ViewSegment], sources: [SourceStatus], now: Date) -> GatewayView {
        var bySource = Dictionary(uniqueKeysWithValues: segments.map { ($0.source, $0) })
        for segment in replaced { bySource[segment.source] = segment }
        return Self.assemble(segments: bySource.keys.sorted().map { bySource[$0]! }, sources: sources, now: now)
    }

    /// Joins segments into a view: pools now, then the region summary and the default first page are rendered;
    /// the other summaries and first pages on their first request.
    static func assemble(segments: [ViewSegment], sources: [SourceStatus], now: Date) -> GatewayView {
        let configured = Set(sources.map(\.id))
        let view = GatewayView(
            generatedAt: now, segments: segments, segmentIndex: Dictionary(uniqueKeysWithValues: segments.enumerated().map { ($1.source, $0) }),
            sources: sources,
            pools: segments.filter { configured.contains($0.source) || $0.cells.hasActive }.map(\.pool),
            packageCount: segments.reduce(0) { $0 + $1.packages.count }, summaries: RenderCache(), firstPages: RenderCache())
        _ = view.summary(.region)
        _ = view.firstPage(PackageQuery())
        return view
    }

    /// `GET /v1/summary?groupBy=`, rendered once per view.
    func summary(_ groupBy: SummaryGroupBy) -> CachedResponse {
        summaries.get(groupBy) { CachedResponse(body: renderSummary(groupBy: groupBy)) }
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

    /// The rendered first page of an unfiltered query of `firstPageLimit` items (rendered once per view), or nil
    /// when `q` is not such a query.
    func firstPage(_ q: PackageQuery) -> CachedResponse? {
        guard q.limit == Self.firstPageLimit, q.isCacheable else { return nil }
        return firstPages.get(FirstPageKey(sort: q.sort, descending: q.descending)) { CachedResponse(body: renderList(q)) }
    }

    /// One page of `GET /v1/packages`, rendered.
    func renderList(_ q: PackageQuery) -> [UInt8] {
        let (items, next) = page(q)
        struct Body: Encodable {
            var items: [PackageDTO]
            var nextCursor: String?
            var sources: [SourceStatus]
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(items, forKey: .items)
                try c.encode(nextCursor, forKey: .nextCursor)
                try c.encode(sources, forKey: .sources)
            }
            enum CodingKeys: String, CodingKey { case items, nextCursor, sources }
        }
        let relevant = sources.filter { s in
            (q.provider == nil || s.id.provider == q.provider) && (q.account == nil || s.id.account == q.account)
                && (q.region == nil || s.id.region == q.region)
        }
        return APIJSON.encode(Body(items: items, nextCursor: next, sources: relevant))
    }

    /// Filters, sorts and pages; returns the items and the next cursor. Merges the matching segments' sort
    /// orders, so a page costs its size (times log of the number of sources), not the number of packages.
    func page(_ q: PackageQuery) -> ([PackageDTO], String?) {
        var merge = SegmentMerge(descending: q.descending)
        let cursor: (value: Double, key: PackageKey)? = q.cursor.flatMap { c in
            guard let value = Double(c.sortValue), let key = PackageKey(c.lastKey) else { return nil }
            return (value, key)
        }
        for (s, segment) in segments.enumerated() where segment.matches(q) && !segment.packages.isEmpty {
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
            if !Self.matches(p, q) { continue }
            if items.count == q.limit {
                hasMore = true
                break
            }
            items.append(PackageDTO(state: p, forecast: segment.forecasts[i]))
            last = (s, i)
        }
        var next: String?
        if hasMore, let (s, i) = last {
            let segment = segments[s]
            next = PageCursor(sortValue: String(segment.sortKeys[q.sort]![i]), lastKey: segment.packages[i].key.description)
                .encode(queryFingerprint: q.fingerprint)
        }
        return (items, next)
    }

    private static func matches(_ p: PackageState, _ q: PackageQuery) -> Bool {
        if let v = q.status, p.status != v { return false }
        if let v = q.policy, p.policy != v { return false }
        if let v = q.expiresBefore, p.expiresAt >= v { return false }
        if let v = q.minUsedRatio, p.usedRatio < v { return false }
        return true
    }

    func renderSummary(groupBy: SummaryGroupBy) -> [UInt8] {
        let summary = SummaryAggregator.summarize(cells: segments.map(\.cells), pools: pools, groupBy: groupBy)
        struct Body: Encodable {
            var summary: Summary
            var generatedAt: Date
            var sources: [SourceStatus]
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(summary.groupBy, forKey: .groupBy)
                try c.encode(RFC3339.format(generatedAt), forKey: .generatedAt)
                try c.encode(summary.groups, forKey: .groups)
                try c.encode(summary.total, forKey: .total)
                try c.encode(sources, forKey: .sources)
            }
            enum CodingKeys: String, CodingKey { case groupBy, generatedAt, groups, total, sources }
        }
        return APIJSON.encode(Body(summary: summary, generatedAt: generatedAt, sources: sources))
    }

    /// Responses rendered on demand, once per view.
    private final class RenderCache<Key: Hashable & Sendable>: Sendable {
        private let pages = Mutex<[Key: CachedResponse]>([:])

        func get(_ key: Key, render: () -> CachedResponse) -> CachedResponse {
            if let page = pages.withLock({ $0[key] }) { return page }
            let page = render()
            return pages.withLock { pages in
                if let existing = pages[key] { return existing }
                pages[key] = page
                return page
            }
        }
    }
}
