/// The answer of `GET /v1/summary`: one group per value of the grouping dimension, plus the total.
package struct Summary: Sendable, Equatable, Codable {
    package var groupBy: SummaryGroupBy
    /// Sorted by key.
    package var groups: [SummaryGroup]
    /// Everything together (key `all`), with every pool.
    package var total: SummaryGroup

    package init(groupBy: SummaryGroupBy, groups: [SummaryGroup], total: SummaryGroup) {
        self.groupBy = groupBy
        self.groups = groups
        self.total = total
    }
}
