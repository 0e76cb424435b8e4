import Foundation
import TPGWCore
import TPGWHTTP
import TPGWStore

/// `GET/POST /v1/silences`, `GET/DELETE /v1/silences/{id}`. A silence mutes the notices of the alerts its
/// matchers select between `startsAt` and `endsAt`; the alerts are still evaluated, listed and shown (as silenced).
/// DELETE ends it now and keeps the record. Creating and ending need the `write` scope; both are audited.
struct SilenceRoutes: Sendable {
    let store: PostgresStore
    let auth: Authenticator
    var now: @Sendable () -> Date = { Date() }

    func register(on router: Router) {
        router.get("/v1/silences", use: auth.require(.read, list))
        router.post("/v1/silences", use: auth.require(.write, create))
        router.get("/v1/silences/{id}", use: auth.require(.read, get))
        router.delete("/v1/silences/{id}", use: auth.require(.write, expire))
    }

    /// GET /v1/silences?state=active (not yet ended) | all (default), newest first.
    func list(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let (paging, filters) = try ListPaging.parse(request.queryItems, list: "silences", filters: ["state"])
        let at = now()
        var endingAfter: Date?
        switch filters["state"] {
        case nil, "all": endingAfter = nil
        case "active": endingAfter = at
        default:
            throw AppError(.validationFailed, "invalid list query", fieldErrors: [.init(field: "state", message: "must be active or all")])
        }
        let rows = try await store.silences(endingAfter: endingAfter, beforeSeq: paging.after, limit: paging.limit + 1)
        let page = Array(rows.prefix(paging.limit))
        let body = ListBody(items: page.compactMap { SilenceDTO($0, now: at) },
                            nextCursor: paging.nextCursor(last: page.last?.seq, hasMore: rows.count > paging.limit))
        return .json(APIJSON.encode(body))
    }

    /// POST /v1/silences
    func create(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let at = now()
        let s = try SilenceRequest.decode(request.body, now: at, createdBy: principal.name)
        let record = try await store.insertSilence(
            SilenceRecord(id: s.id, matchers: String(decoding: APIJSON.encode(s.matchers), as: UTF8.self), startsAt: s.startsAt,
                          endsAt: s.endsAt, comment: s.comment, createdBy: s.createdBy),
            audit: AuditEntry(actor: principal.name, action: "silence.create", targetType: "silence"))
        context.logger.info("silence created", metadata: ["silence.id": record.id, "auth.key": principal.name])
        return .json(APIJSON.encode(try Self.dto(record, now: at)), status: .created)
    }

    /// GET /v1/silences/{id}
    func get(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let id = try context.parameter("id")
        guard let record = try await store.silence(id: id) else { throw Self.notFound(id) }
        return .json(APIJSON.encode(try Self.dto(record, now: now())))
    }

    /// DELETE /v1/silences/{id}: ends it now; answers the ended silence. Still-firing alerts it muted notify at once.
    func expire(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let id = try context.parameter("id")
        // Whole milliseconds: the database keeps microseconds, and an end a fraction after `at` would read "active".
        let at = Date(timeIntervalSince1970: (now().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        guard let record = try await store.expireSilence(
            id: id, now: at, audit: AuditEntry(actor: principal.name, action: "silence.expire", targetType: "silence"))
        else { throw Self.notFound(id) }
        context.logger.info("silence expired", metadata: ["silence.id": id, "auth.key": principal.name])
        return .json(APIJSON.encode(try Self.dto(record, now: at)))
    }

    static func dto(_ record: SilenceRecord, now: Date) throws -> SilenceDTO {
        guard let dto = SilenceDTO(record, now: now) else { throw AppError(.internal, "stored silence \(record.id) does not decode") }
        return dto
    }

    static func notFound(_ id: String) -> AppError { AppError(.notFound, "no silence \(id.prefix(100))") }
}
