import Foundation
import TPGWCore

/// The read API's answers from a view: `GET /v1/summary` and `GET /v1/packages` rendered to bytes, the
/// summaries and the unfiltered first pages once per view (kept in the view's memo). The API depends on the read
/// model, never the reverse.
extension GatewayView {
    static let firstPageLimit = 100

    /// Memo keys: a summary per grouping, an unfiltered first page per sort field and direction.
    private enum ResponseKey: Hashable, Sendable {
        case summary(SummaryGroupBy)
        case firstPage(PackageSortField, descending: Bool)
    }

    /// Renders what most requests ask for ahead (the region summary, the default first page); the view store
    /// calls it on every new view before serving it.
    func prerenderResponses() {
        _ = summary(.region)
        _ = firstPage(PackageQuery())
    }

    /// `GET /v1/summary?groupBy=`, rendered once per view.
    func summary(_ groupBy: SummaryGroupBy) -> CachedResponse {
        memo.get(ResponseKey.summary(groupBy)) { CachedResponse(body: renderSummary(groupBy: groupBy)) }
    }

    /// The rendered first page of an unfiltered query of `firstPageLimit` items (rendered once per view), or nil
    /// when `q` is not such a query.
    func firstPage(_ q: PackageQuery) -> CachedResponse? {
        guard q.limit == Self.firstPageLimit, q.isCacheable else { return nil }
        return memo.get(ResponseKey.firstPage(q.sort, descending: q.descending)) { CachedResponse(body: renderList(q)) }
    }

    /// One page of `GET /v1/packages` and its next cursor (bound to the query).
    func page(_ q: PackageQuery) -> ([PackageDTO], String?) {
        let (items, next) = select(q.selection)
        let cursor = next.map {
            PageCursor(sortValue: String($0.value), lastKey: $0.key.description).encode(queryFingerprint: q.fingerprint)
        }
        return (items, cursor)
    }

    /// One page of `GET /v1/packages`, rendered.
    package func renderList(_ q: PackageQuery) -> [UInt8] {
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
        let selection = q.selection
        return APIJSON.encode(Body(items: items, nextCursor: next, sources: sources.filter { selection.admits($0.id) }))
    }

    package func renderSummary(groupBy: SummaryGroupBy) -> [UInt8] {
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
}
