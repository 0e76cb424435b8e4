import Foundation
import TPGWCore
import TPGWCrypto
import TPGWHTTP
import TPGWStore

/// `GET/POST /v1/channels`, `GET/PUT/DELETE /v1/channels/{id}`, `POST /v1/channels/{id}/test`.
/// URLs are shown as scheme and host only (tokens live in paths and queries), secrets never (only `hasSecret`).
/// Creating, changing, deleting and test-sending need the `admin` scope: a channel reaches outside (and, when an
/// operator allows it, inside) the network. A URL whose host resolves to a blocked address is refused (422).
struct ChannelRoutes: Sendable {
    let store: PostgresStore
    let tester: ChannelTester
    let auth: Authenticator
    let policy: NetworkPolicy

    func register(on router: Router) {
        router.get("/v1/channels", use: auth.require(.read, list))
        router.post("/v1/channels", use: auth.require(.admin, create))
        router.get("/v1/channels/{id}", use: auth.require(.read, get))
        router.put("/v1/channels/{id}", use: auth.require(.admin, update))
        router.delete("/v1/channels/{id}", use: auth.require(.admin, delete))
        router.post("/v1/channels/{id}/test", use: auth.require(.admin, test))
    }

    /// 422 when the URL's host resolves to an address the policy refuses.
    private func checkTarget(_ url: String?) async throws {
        guard let url, let refusal = await WebhookTarget.refusal(url: url, policy: policy) else { return }
        throw AppError(.validationFailed, "The channel is invalid.", fieldErrors: [.init(field: "url", message: refusal)])
    }

    /// GET /v1/channels
    func list(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let (paging, _) = try ListPaging.parse(request.queryItems, list: "channels", filters: [])
        let rows = try await store.channels(afterSeq: paging.after, limit: paging.limit + 1)
        let page = Array(rows.prefix(paging.limit))
        let body = ListBody(items: page.map(ChannelDTO.init), nextCursor: paging.nextCursor(last: page.last?.seq, hasMore: rows.count > paging.limit))
        return .json(APIJSON.encode(body))
    }

    /// POST /v1/channels
    func create(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let body = try ChannelRequest.decode(request.body, requireURL: true)
        try await checkTarget(body.url)
        let record = try await store.insertChannel(ChannelRecord(
            id: Self.newID(), name: body.name, format: body.format.rawValue, url: body.url ?? "", secret: body.secret ?? nil,
            language: body.language.rawValue), audit: AuditTrail.channel(principal, "channel.create"))
        context.logger.info("channel created", metadata: ["channel.id": record.id, "channel.format": record.format, "auth.key": principal.name])
        return .json(APIJSON.encode(ChannelDTO(record: record)), status: .created)
    }

    /// GET /v1/channels/{id}
    func get(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        .json(APIJSON.encode(ChannelDTO(record: try await existing(context))))
    }

    /// PUT /v1/channels/{id}: replaces name, format and language; `url` and `secret` only when given.
    func update(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        var record = try await existing(context)
        let body = try ChannelRequest.decode(request.body, requireURL: false)
        try await checkTarget(body.url)
        record.name = body.name
        record.format = body.format.rawValue
        record.language = body.language.rawValue
        if let url = body.url { record.url = url }
        if let secret = body.secret { record.secret = secret }
        guard let updated = try await store.updateChannel(record, audit: AuditTrail.channel(principal, "channel.update")) else { throw Self.notFound(record.id) }
        context.logger.info("channel updated", metadata: ["channel.id": record.id, "auth.key": principal.name])
        return .json(APIJSON.encode(ChannelDTO(record: updated)))
    }

    /// DELETE /v1/channels/{id}: deletes it and its deliveries; budgets that name it keep the id (sending to it stops).
    func delete(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let id = try context.parameter("id")
        guard try await store.deleteChannel(id: id, audit: AuditTrail.channel(principal, "channel.delete")) else { throw Self.notFound(id) }
        context.logger.info("channel deleted", metadata: ["channel.id": id, "auth.key": principal.name])
        return HTTPResponse(status: .noContent)
    }

    /// POST /v1/channels/{id}/test: sends a made-up alert now and answers with what happened.
    func test(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let record = try await existing(context)
        let result = try await tester.test(record)
        context.logger.info("channel tested", metadata: [
            "channel.id": record.id, "delivered": "\(result.delivered)", "status": result.status.map(String.init) ?? "-",
        ])
        return .json(APIJSON.encode(result))
    }

    private func existing(_ context: RequestContext) async throws -> ChannelRecord {
        let id = try context.parameter("id")
        guard let record = try await store.channel(id: id) else { throw Self.notFound(id) }
        return record
    }

    static func notFound(_ id: String) -> AppError { AppError(.notFound, "no channel \(id.prefix(100))") }

    /// `chn_` + 16 random hex digits.
    static func newID() -> String { "chn_" + Crypto.randomHex(bytes: 8) }
}
