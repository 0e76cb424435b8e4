import Foundation
import TPGWCore

/// The validated filters, sort and paging of `GET /v1/packages`.
package struct PackageQuery: Sendable, Equatable {
    package typealias SortField = PackageSortField

    var provider: String?
    var account: String?
    var region: String?
    package var status: PackageStatus?
    var policy: PackagePolicy?
    var expiresBefore: Date?
    var minUsedRatio: Double?
    package var sort: SortField = .expiresAt
    package var descending = false
    package var limit = 100
    var cursor: PageCursor?

    static let parameters: Set<String> = ["provider", "account", "region", "status", "policy", "expiresBefore", "minUsedRatio", "sort", "limit", "cursor"]

    /// Parses query items.
    /// - Throws: `AppError(.validationFailed)` naming each bad parameter; `.invalidArgument` for a bad cursor.
    static func parse(_ items: [(name: String, value: String)]) throws -> PackageQuery {
        var q = PackageQuery()
        var errors: [AppError.FieldError] = []
        var seen = Set<String>()
        var cursorText: String?
        for (name, value) in items {
            guard parameters.contains(name) else {
                errors.append(.init(field: name, message: "unknown parameter"))
                continue
            }
            if !seen.insert(name).inserted {
                errors.append(.init(field: name, message: "given more than once"))
                continue
            }
            switch name {
            case "provider": q.provider = value
            case "account": q.account = value
            case "region": q.region = value
            case "status":
                if let s = PackageStatus(rawValue: value) { q.status = s } else {
                    errors.append(.init(field: name, message: "must be one of \(PackageStatus.allCases.map(\.rawValue).joined(separator: ", "))"))
                }
            case "policy":
                if let p = PackagePolicy(rawValue: value) { q.policy = p } else {
                    errors.append(.init(field: name, message: "must be fullTime or offPeak"))
                }
            case "expiresBefore":
                if let d = RFC3339.parse(value) { q.expiresBefore = d } else {
                    errors.append(.init(field: name, message: "must be an RFC 3339 time such as 2026-12-01T00:00:00Z"))
                }
            case "minUsedRatio":
                if let r = Double(value), r.isFinite, (0...1).contains(r) { q.minUsedRatio = r } else {
                    errors.append(.init(field: name, message: "must be a number between 0 and 1"))
                }
            case "sort":
                let desc = value.hasPrefix("-")
                if let f = SortField(rawValue: desc ? String(value.dropFirst()) : value) {
                    q.sort = f
                    q.descending = desc
                } else {
                    errors.append(.init(field: name, message: "must be one of \(SortField.allCases.map(\.rawValue).joined(separator: ", ")), optionally prefixed with -"))
                }
            case "limit":
                if let n = Int(value), (1...1000).contains(n) { q.limit = n } else {
                    errors.append(.init(field: name, message: "must be an integer from 1 to 1000"))
                }
            default: cursorText = value.isEmpty ? nil : value  // `cursor=` is the first page
            }
        }
        if !errors.isEmpty { throw AppError(.validationFailed, "invalid query parameters", fieldErrors: errors) }
        if let cursorText {
            guard let c = PageCursor.decode(cursorText, queryFingerprint: q.fingerprint) else {
                // A cursor names a page of this query (it is part of the target URI): one that names none is 404.
                throw AppError(.notFound, "the cursor does not name a page of this query (malformed, tampered with, or from another query); start again without it")
            }
            q.cursor = c
        }
        return q
    }

    /// Identifies the query (filters and sort, not paging), binding cursors to it.
    var fingerprint: String {
        [provider ?? "", account ?? "", region ?? "", status?.rawValue ?? "", policy?.rawValue ?? "",
         expiresBefore.map { RFC3339.format($0) } ?? "", minUsedRatio.map { "\($0)" } ?? "",
         (descending ? "-" : "") + sort.rawValue].joined(separator: "|")
    }

    /// Whether the query is the unfiltered first page that is worth caching.
    /// (Asked on every `GET /v1/packages`: compares fields, builds no strings.)
    var isCacheable: Bool {
        cursor == nil && provider == nil && account == nil && region == nil && status == nil && policy == nil
            && expiresBefore == nil && minUsedRatio == nil
    }

    /// The view's question for this query: filters, order, size, and where the cursor says to start.
    var selection: PackageSelection {
        PackageSelection(
            provider: provider, account: account, region: region, status: status, policy: policy, expiresBefore: expiresBefore,
            minUsedRatio: minUsedRatio, sort: sort, descending: descending, limit: limit,
            after: cursor.flatMap { c in
                guard let value = Double(c.sortValue), let key = PackageKey(c.lastKey) else { return nil }
                return PackageSelection.Position(value: value, key: key)
            })
    }
}

extension PackageQuery {
    /// The default query; the benchmark sets sort, direction, status and limit.
    package init(selecting status: PackageStatus?, sort: SortField = .expiresAt, descending: Bool = false, limit: Int = 100) {
        self.status = status
        self.sort = sort
        self.descending = descending
        self.limit = limit
    }
}
