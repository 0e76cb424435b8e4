import TPGWCore

/// The query of `DescribeTrafficPackages`: ids, or filters (the API refuses both together).
package struct TencentListFilter: Sendable, Equatable {
    /// `TrafficPackageIds`.
    package var ids: [String]
    /// `status` filter: only `AVAILABLE`, `EXPIRED`, `EXHAUSTED` are accepted.
    package var statuses: [TencentPackageStatus]
    /// `traffic-package-name`, exact match.
    package var names: [String]

    package init(ids: [String] = [], statuses: [TencentPackageStatus] = [], names: [String] = []) {
        self.ids = ids
        self.statuses = statuses
        self.names = names
    }

    /// Why the filter cannot be sent, or nil.
    package var problem: String? {
        if !ids.isEmpty && !(statuses.isEmpty && names.isEmpty) { return "TrafficPackageIds cannot be combined with Filters" }
        if let bad = statuses.first(where: { !$0.isFilterable }) { return "status \(bad.wireName) cannot be filtered on" }
        return nil
    }

    /// The JSON body of one page, keys in a fixed order, `Limit` always explicit.
    package func jsonBody(offset: Int, limit: Int) -> [UInt8] {
        var s = "{"
        if !ids.isEmpty { s += "\"TrafficPackageIds\":[" + ids.map(JSONString.quote).joined(separator: ",") + "]," }
        var filters: [String] = []
        if !statuses.isEmpty {
            filters.append("{\"Name\":\"status\",\"Values\":[" + statuses.map { JSONString.quote($0.wireName) }.joined(separator: ",") + "]}")
        }
        if !names.isEmpty {
            filters.append("{\"Name\":\"traffic-package-name\",\"Values\":[" + names.map(JSONString.quote).joined(separator: ",") + "]}")
        }
        if !filters.isEmpty { s += "\"Filters\":[" + filters.joined(separator: ",") + "]," }
        s += "\"Offset\":\(offset),\"Limit\":\(limit)}"
        return Array(s.utf8)
    }
}
