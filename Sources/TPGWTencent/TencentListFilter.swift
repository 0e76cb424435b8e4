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
        func filter(_ name: String, _ values: [String]) -> OrderedJSON {
            .object([("Name", .string(name)), ("Values", .array(values.map(OrderedJSON.string)))])
        }
        var members: [(String, OrderedJSON)] = []
        if !ids.isEmpty { members.append(("TrafficPackageIds", .array(ids.map(OrderedJSON.string)))) }
        var filters: [OrderedJSON] = []
        if !statuses.isEmpty { filters.append(filter("status", statuses.map(\.wireName))) }
        if !names.isEmpty { filters.append(filter("traffic-package-name", names)) }
        if !filters.isEmpty { members.append(("Filters", .array(filters))) }
        members += [("Offset", .integer(Int64(offset))), ("Limit", .integer(Int64(limit)))]
        return OrderedJSON.object(members).bytes
    }
}
