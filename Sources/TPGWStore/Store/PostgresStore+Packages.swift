import Foundation
import TPGWCore

extension PostgresStore {
    /// One page of packages in their latest state, filtered and sorted, with keyset paging:
    /// pass the previous page's `nextCursor` as `after`. A cursor made for another sort is rejected
    /// (`.invalidArgument`). With `limit` nil, everything matching comes back in one page.
    package func packages(
        filter: PackageFilter = PackageFilter(), sort: PackageSort = .key, after cursor: PackageCursor? = nil, limit: Int? = 100
    ) async throws(PostgresError) -> PackagePage {
        if let cursor, cursor.sort != sort {
            throw PostgresError(.invalidArgument, "the cursor belongs to another sort order")
        }
        var query: PostgresQuery = "SELECT \(unsafeRaw: Self.packageColumns), \(unsafeRaw: Self.sortExpression(sort.field)) FROM packages p JOIN sources s ON s.id = p.source_id WHERE true"
        query.append(Self.whereClause(filter))
        if let cursor {
            let op = sort.descending ? "<" : ">"
            switch sort.field {
            case .key:
                query.append(" AND (p.provider, p.account, p.region, p.package_id, p.id) \(unsafeRaw: op) (SELECT c.provider, c.account, c.region, c.package_id, c.id FROM packages c WHERE c.id = \(cursor.rowID))")
            case .expiresAt:
                query.append(" AND (p.expires_at, p.id) \(unsafeRaw: op) (\(cursor.value)::timestamptz, \(cursor.rowID))")
            case .usedRatio:
                query.append(" AND (p.used_ratio, p.id) \(unsafeRaw: op) (\(cursor.value)::float8, \(cursor.rowID))")
            case .remainingBytes:
                query.append(" AND (p.remaining_bytes, p.id) \(unsafeRaw: op) (\(cursor.value)::int8, \(cursor.rowID))")
            }
        }
        let direction = sort.descending ? " DESC" : ""
        switch sort.field {
        case .key:
            query.append(" ORDER BY p.provider\(unsafeRaw: direction), p.account\(unsafeRaw: direction), p.region\(unsafeRaw: direction), p.package_id\(unsafeRaw: direction), p.id\(unsafeRaw: direction)")
        case .expiresAt, .usedRatio, .remainingBytes:
            query.append(" ORDER BY \(unsafeRaw: Self.sortExpression(sort.field))\(unsafeRaw: direction), p.id\(unsafeRaw: direction)")
        }
        if let limit {
            query.append(" LIMIT \(max(0, limit) + 1)")
        }
        do {
            let rows = try await pool.query(query, idempotent: true)
            var items: [PackageState] = []
            items.reserveCapacity(rows.count)
            var next: PackageCursor?
            for row in rows {
                if let limit, items.count == limit {
                    let last = rows[items.count - 1]
                    next = PackageCursor(sort: sort, value: try Self.cursorValue(last, field: sort.field), rowID: try last.decode(Int64.self, at: 13))
                    break
                }
                items.append(try Self.decodePackage(row))
            }
            return PackagePage(items: items, nextCursor: next)
        } catch where error.code == .server && error.sqlState?.hasPrefix("22") == true {
            throw PostgresError(.invalidArgument, "malformed cursor")
        }
    }

    /// Every package matching `filter` (the latest state of each), in key order.
    package func allPackages(filter: PackageFilter = PackageFilter()) async throws(PostgresError) -> [PackageState] {
        try await packages(filter: filter, sort: .key, after: nil, limit: nil).items
    }

    /// One package's latest state, or nil.
    package func package(key: PackageKey) async throws(PostgresError) -> PackageState? {
        try await packageDetail(key: key)?.state
    }

    /// One package with bookkeeping and raw JSON, or nil.
    package func packageDetail(key: PackageKey) async throws(PostgresError) -> PackageDetail? {
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: Self.packageColumns), p.first_seen_at, coalesce(CASE WHEN p.released_at IS NULL THEN s.last_success_at END, p.last_seen_at),
                   p.released_at, p.raw::text
            FROM packages p JOIN sources s ON s.id = p.source_id
            WHERE s.provider = \(key.provider) AND s.account = \(key.account) AND s.region = \(key.region) AND p.package_id = \(key.id)
            """, idempotent: true)
        guard let row = rows.first else { return nil }
        return PackageDetail(
            state: try Self.decodePackage(row), firstSeenAt: try row.decode(Date.self, at: 14), lastSeenAt: try row.decode(Date.self, at: 15),
            releasedAt: try row.decode(Date?.self, at: 16), raw: try row.decode(String.self, at: 17))
    }

    /// Columns 0...13 of a package row; 13 is the row id.
    static let packageColumns = """
        p.provider, p.account, p.region, p.package_id, p.policy, p.line_type, p.status, p.capacity_bytes, p.used_bytes,
        p.created_at, p.activated_at, p.expires_at,
        CASE WHEN p.released_at IS NULL THEN coalesce(s.last_success_at, p.last_seen_at) ELSE p.released_at END, p.id
        """

    static func sortExpression(_ field: PackageSort.Field) -> String {
        switch field {
        case .key: "p.id"
        case .expiresAt: "p.expires_at"
        case .usedRatio: "p.used_ratio"
        case .remainingBytes: "p.remaining_bytes"
        }
    }

    static func whereClause(_ filter: PackageFilter) -> PostgresQuery {
        var q: PostgresQuery = ""
        if !filter.providers.isEmpty { q.append(" AND p.provider = ANY(\(filter.providers)::text[])") }
        if !filter.accounts.isEmpty { q.append(" AND p.account = ANY(\(filter.accounts)::text[])") }
        if !filter.regions.isEmpty { q.append(" AND p.region = ANY(\(filter.regions)::text[])") }
        if !filter.statuses.isEmpty { q.append(" AND p.status = ANY(\(filter.statuses.map(\.rawValue))::text[])") }
        if !filter.policies.isEmpty { q.append(" AND p.policy = ANY(\(filter.policies.map(\.rawValue))::text[])") }
        if let before = filter.expiresBefore { q.append(" AND p.expires_at < \(before)") }
        if let ratio = filter.minUsedRatio { q.append(" AND p.used_ratio >= \(ratio)") }
        return q
    }

    static func cursorValue(_ row: PostgresRow, field: PackageSort.Field) throws(PostgresError) -> String {
        switch field {
        case .key: return ""
        case .expiresAt: return PostgresTimestamp.format(try row.decode(Date.self, at: 14))
        case .usedRatio: return "\(try row.decode(Double.self, at: 14))"
        case .remainingBytes: return String(try row.decode(Int64.self, at: 14))
        }
    }

    static func decodePackage(_ row: PostgresRow) throws(PostgresError) -> PackageState {
        let (provider, account, region, id, policy, lineType, status) = try row.decode((String, String, String, String, String, String, String).self)
        return PackageState(
            key: PackageKey(provider: provider, account: account, region: region, id: id),
            policy: PackagePolicy(rawValue: policy) ?? .fullTime, lineType: lineType, status: PackageStatus(rawValue: status) ?? .active,
            capacityBytes: try row.decode(Int64.self, at: 7), usedBytes: try row.decode(Int64.self, at: 8),
            createdAt: try row.decode(Date.self, at: 9), activatedAt: try row.decode(Date?.self, at: 10),
            expiresAt: try row.decode(Date.self, at: 11), observedAt: try row.decode(Date.self, at: 12))
    }
}
