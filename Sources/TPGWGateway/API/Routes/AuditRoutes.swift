import Foundation
import TPGWCore
import TPGWHTTP
import TPGWStore

/// `GET /v1/audit?targetType=&targetId=&actor=&since=`, newest first: every change to budgets, channels, silences,
/// acknowledgements and API keys, and every purchase, with the acting key's name, the time and the target before
/// and after (redacted like every answer: no secrets, webhook URLs as scheme and host). Needs the `admin` scope.
struct AuditRoutes: Sendable {
    let store: PostgresStore
    let auth: Authenticator

    static let targetTypes: Set<String> = ["budget", "channel", "silence", "alert", "apiKey", "purchase", "delivery"]

    func register(on router: Router) {
        router.get("/v1/audit", use: auth.require(.admin, list))
    }

    func list(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let (paging, filters) = try ListPaging.parse(request.queryItems, list: "audit", filters: ["targetType", "targetId", "actor", "since"])
        var errors: [AppError.FieldError] = []
        if let t = filters["targetType"], !Self.targetTypes.contains(t) {
            errors.append(.init(field: "targetType", message: "must be one of \(Self.targetTypes.sorted().joined(separator: ", "))"))
        }
        var since: Date?
        if let raw = filters["since"] {
            since = RFC3339.parse(raw)
            if since == nil { errors.append(.init(field: "since", message: "must be an RFC 3339 time")) }
        }
        if !errors.isEmpty { throw AppError(.validationFailed, "invalid list query", fieldErrors: errors) }
        let rows = try await store.auditEntries(
            targetType: filters["targetType"], targetID: filters["targetId"], actor: filters["actor"], since: since, beforeID: paging.after,
            limit: paging.limit + 1)
        let page = Array(rows.prefix(paging.limit))
        let body = ListBody(items: page.map(AuditDTO.init), nextCursor: paging.nextCursor(last: page.last?.id, hasMore: rows.count > paging.limit))
        return .json(APIJSON.encode(body))
    }
}

/// One audit entry as the API shows it; `before`/`after` are the stored (redacted) JSON, null when absent.
struct AuditDTO: Encodable, Sendable {
    var record: AuditRecord

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let e = record.entry
        try c.encode(String(record.id), forKey: .id)
        try c.encode(RFC3339.format(record.at), forKey: .at)
        try c.encode(e.actor, forKey: .actor)
        try c.encode(e.action, forKey: .action)
        try c.encode(e.targetType, forKey: .targetType)
        try c.encode(e.targetID, forKey: .targetId)
        try c.encode(e.before.flatMap { try? JSONValue.parse(Array($0.utf8)) } ?? .null, forKey: .before)
        try c.encode(e.after.flatMap { try? JSONValue.parse(Array($0.utf8)) } ?? .null, forKey: .after)
    }

    enum CodingKeys: String, CodingKey { case id, at, actor, action, targetType, targetId, before, after }
}
