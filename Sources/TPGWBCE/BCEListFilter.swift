import TPGWCore

/// Optional filters of the list call; they intersect.
package struct BCEListFilter: Sendable, Equatable {
    package var id: String?
    package var deductPolicy: PackagePolicy?
    package var status: PackageStatus?

    package init(id: String? = nil, deductPolicy: PackagePolicy? = nil, status: PackageStatus? = nil) {
        self.id = id
        self.deductPolicy = deductPolicy
        self.status = status
    }

    var queryItems: [(String, String)] {
        var q: [(String, String)] = []
        if let id { q.append(("id", id)) }
        if let deductPolicy { q.append(("deductPolicy", deductPolicy.bceName)) }
        if let status { q.append(("status", status.bceName)) }
        return q
    }
}
