import Foundation
import TPGWCore

/// Everything the read API serves, computed once per data change: packages with forecasts, pools, sources,
/// sort indexes and pre-rendered bytes for the summary and the first pages of `/v1/packages`.
///
/// Requests read an immutable view, so they never wait on upstream or on the database.
struct GatewayView: Sendable {
    /// What the view is built from (all read from the store).
    struct Input: Sendable {
        var packages: [PackageState]
        /// Snapshots of the trailing forecast window, per package.
        var history: [PackageKey: [Snapshot]]
        var sources: [SourceStatus]
    }

    let generatedAt: Date
    let packages: [PackageState]
    let index: [PackageKey: Int]
    let forecasts: [PackageForecast]
    let pools: [PoolForecast]
    let sources: [SourceStatus]
    private let sortKeys: [PackageQuery.SortField: [Double]]
    private let sortOrder: [PackageQuery.SortField: [Int]]
    let summaries: [SummaryGroupBy: CachedResponse]
    let firstPages: [String: CachedResponse]

    static let firstPageLimit = 100

    /// Builds the view. Pure: `now` is passed in.
    static func build(_ input: Input, now: Date, window: TimeInterval = 86400) -> GatewayView {
        let packages = input.packages.sorted { $0.key < $1.key }
        var index: [PackageKey: Int] = [:]
        index.reserveCapacity(packages.count)
        for (i, p) in packages.enumerated() { index[p.key] = i }
        let forecasts = packages.map { Forecaster.forecast(package: $0, snapshots: input.history[$0.key] ?? [], now: now, window: window) }
        var forecastByKey: [PackageKey: PackageForecast] = [:]
        forecastByKey.reserveCapacity(packages.count)
        for (i, p) in packages.enumerated() { forecastByKey[p.key] = forecasts[i] }

        var bySource: [SourceID: [PackageState]] = [:]
        for p in packages where p.status == .active { bySource[p.key.source, default: []].append(p) }
        for s in input.sources where bySource[s.id] == nil { bySource[s.id] = [] }
        let pools = bySource.keys.sorted().map { source in
            let members = bySource[source]!
            return PoolSimulator.simulate(
                source: source, packages: members, demand: PoolDemand.estimate(packages: members, forecasts: forecastByKey), now: now)
        }

        var sortKeys: [PackageQuery.SortField: [Double]] = [:]
        var sortOrder: [PackageQuery.SortField: [Int]] = [:]
        for field in PackageQuery.SortField.allCases {
            let keys: [Double] = packages.indices.map { i in
                switch field {
                case .expiresAt: packages[i].expiresAt.timeIntervalSince1970
                case .exhaustsAt: forecasts[i].exhaustsAt?.timeIntervalSince1970 ?? .infinity
                case .usedRatio: packages[i].usedRatio
                case .remainingBytes: Double(packages[i].remainingBytes)
                }
            }
            sortKeys[field] = keys
            // Ties break on the key, whose order equals the index order.
            sortOrder[field] = packages.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
        }

        var view = GatewayView(
            generatedAt: now, packages: packages, index: index, forecasts: forecasts, pools: pools, sources: input.sources,
            sortKeys: sortKeys, sortOrder: sortOrder, summaries: [:], firstPages: [:])
        var summaries: [SummaryGroupBy: CachedResponse] = [:]
        for groupBy in SummaryGroupBy.allCases {
            summaries[groupBy] = CachedResponse(body: view.renderSummary(groupBy: groupBy))
        }
        var firstPages: [String: CachedResponse] = [:]
        for field in PackageQuery.SortField.allCases {
            for descending in [false, true] {
                let q = PackageQuery(sort: field, descending: descending, limit: firstPageLimit)
                firstPages[q.fingerprint] = CachedResponse(body: view.renderList(q))
            }
        }
        view = GatewayView(
            generatedAt: now, packages: packages, index: index, forecasts: forecasts, pools: pools, sources: input.sources,
            sortKeys: sortKeys, sortOrder: sortOrder, summaries: summaries, firstPages: firstPages)
        return view
    }

    /// The package with its forecast, or nil.
    func package(_ key: PackageKey) -> PackageDTO? {
        index[key].map { PackageDTO(state: packages[$0], forecast: forecasts[$0]) }
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

    /// Filters, sorts and pages; returns the items and the next cursor.
    func page(_ q: PackageQuery) -> ([PackageDTO], String?) {
        let order = sortOrder[q.sort]!
        let keys = sortKeys[q.sort]!
        var position: Int
        if let cursor = q.cursor, let value = Double(cursor.sortValue), let lastKey = PackageKey(cursor.lastKey) {
            // Binary search for the first entry after (value, key) in traversal order.
            let after: (Int) -> Bool = { i in
                let k = keys[i]
                if k != value { return q.descending ? k < value : k > value }
                return q.descending ? packages[i].key < lastKey : packages[i].key > lastKey
            }
            var lo = 0, hi = order.count
            while lo < hi {
                let mid = (lo + hi) / 2
                let i = q.descending ? order[order.count - 1 - mid] : order[mid]
                if after(i) { hi = mid } else { lo = mid + 1 }
            }
            position = lo
        } else {
            position = 0
        }
        var items: [PackageDTO] = []
        var lastIndex: Int?
        var hasMore = false
        while position < order.count {
            let i = q.descending ? order[order.count - 1 - position] : order[position]
            position += 1
            let p = packages[i]
            if !matches(p, q) { continue }
            if items.count == q.limit {
                hasMore = true
                break
            }
            items.append(PackageDTO(state: p, forecast: forecasts[i]))
            lastIndex = i
        }
        var next: String?
        if hasMore, let i = lastIndex {
            next = PageCursor(sortValue: String(keys[i]), lastKey: packages[i].key.description).encode(queryFingerprint: q.fingerprint)
        }
        return (items, next)
    }

    private func matches(_ p: PackageState, _ q: PackageQuery) -> Bool {
        if let v = q.provider, p.key.provider != v { return false }
        if let v = q.account, p.key.account != v { return false }
        if let v = q.region, p.key.region != v { return false }
        if let v = q.status, p.status != v { return false }
        if let v = q.policy, p.policy != v { return false }
        if let v = q.expiresBefore, p.expiresAt >= v { return false }
        if let v = q.minUsedRatio, p.usedRatio < v { return false }
        return true
    }

    func renderSummary(groupBy: SummaryGroupBy) -> [UInt8] {
        let summary = SummaryAggregator.summarize(packages: packages, alignedForecasts: forecasts, pools: pools, groupBy: groupBy)
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
}
