import Foundation
import TPGWCore

/// `limit` and `cursor` of the alerting lists (keyset paging on a row number), plus the list body.
struct ListPaging: Sendable {
    var limit: Int
    /// The row number to continue after (exclusive), from the cursor.
    var after: Int64?
    /// Binds the cursor to the list and its filters.
    let fingerprint: String

    static let defaultLimit = 100
    static let maxLimit = 1000

    /// Parses `limit` and `cursor`; other parameters must be in `filters` (their names) or are reported as unknown.
    static func parse(_ items: [(name: String, value: String)], list: String, filters: Set<String>) throws -> (ListPaging, [String: String]) {
        var errors: [AppError.FieldError] = []
        var values: [String: String] = [:]
        var limit = defaultLimit
        var cursor: String?
        for (name, value) in items {
            switch name {
            case "limit":
                if let n = Int(value), n >= 1, n <= maxLimit { limit = n } else {
                    errors.append(.init(field: "limit", message: "must be an integer in [1, \(maxLimit)]"))
                }
            case "cursor":
                cursor = value.isEmpty ? nil : value  // `cursor=` is the first page, as if absent
            default:
                if filters.contains(name) { values[name] = value } else { errors.append(.init(field: name, message: "unknown parameter")) }
            }
        }
        let fingerprint = list + "|" + values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        var after: Int64?
        if let cursor {
            if let decoded = PageCursor.decode(cursor, queryFingerprint: fingerprint), let n = Int64(decoded.sortValue) {
                after = n
            } else {
                // A cursor names a page of this list (it is part of the target URI): one that names none is 404.
                throw AppError(.notFound, "the cursor does not name a page of this list (malformed, or from another query); start again without it")
            }
        }
        if !errors.isEmpty { throw AppError(.validationFailed, "invalid list query", fieldErrors: errors) }
        return (ListPaging(limit: limit, after: after, fingerprint: fingerprint), values)
    }

    /// The cursor for the page that ends with row number `last`, when more rows follow.
    func nextCursor(last: Int64?, hasMore: Bool) -> String? {
        guard hasMore, let last else { return nil }
        return PageCursor(sortValue: String(last), lastKey: "").encode(queryFingerprint: fingerprint)
    }
}

/// `{"items": [...], "nextCursor": ...}`.
struct ListBody<Item: Encodable>: Encodable {
    var items: [Item]
    var nextCursor: String?

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(nextCursor, forKey: .nextCursor)
    }

    enum CodingKeys: String, CodingKey { case items, nextCursor }
}
