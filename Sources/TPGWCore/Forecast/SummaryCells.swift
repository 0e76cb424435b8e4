import Foundation

/// One source's packages totalled per (policy, status): everything a source contributes to any summary.
///
/// A summary of many sources is the merge of their cells (``SummaryAggregator/summarize(cells:pools:groupBy:)``), so
/// after a poll of one source only that source's packages are totalled again. Pure.
package struct SummaryCells: Sendable, Equatable {
    package let source: SourceID
    /// `PackagePolicy.allCases.count * PackageStatus.allCases.count` groups, policy-major.
    package private(set) var cells: [SummaryGroup]

    private static let policies = PackagePolicy.allCases
    private static let statuses = PackageStatus.allCases

    /// Totals `packages` (all of `source`) with their forecasts, aligned by index.
    package init(source: SourceID, packages: [PackageState], alignedForecasts: [PackageForecast]) {
        self.source = source
        var cells = [SummaryGroup](repeating: SummaryGroup(key: ""), count: Self.policies.count * Self.statuses.count)
        for (i, p) in packages.enumerated() {
            SummaryAggregator.add(p, alignedForecasts[i], to: &cells[Self.index(p.policy, p.status)])
        }
        self.cells = cells
    }

    /// Whether the source has an active package.
    package var hasActive: Bool { cells.contains { $0.statusCounts.active > 0 } }

    /// The value of the grouping dimension for cell `index`.
    package func groupKey(_ index: Int, _ by: SummaryGroupBy) -> String {
        switch by {
        case .region: source.region
        case .account: source.account
        case .provider: source.provider
        case .policy: Self.policies[index / Self.statuses.count].rawValue
        case .status: Self.statuses[index % Self.statuses.count].rawValue
        }
    }

    private static func index(_ policy: PackagePolicy, _ status: PackageStatus) -> Int {
        policies.firstIndex(of: policy)! * statuses.count + statuses.firstIndex(of: status)!
    }
}
