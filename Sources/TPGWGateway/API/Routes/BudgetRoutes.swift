import Foundation
import TPGWCore
import TPGWCrypto
import TPGWHTTP
import TPGWStore

/// `GET/POST /v1/budgets`, `GET/PUT/DELETE /v1/budgets/{id}`.
package struct BudgetRoutes: Sendable {
    let store: PostgresStore
    let auth: Authenticator
    /// Wall time of the gateway (`Application.now`; moves with the manual clock in tests).
    var now: @Sendable () -> Date = { Date() }

    func register(on router: Router) {
        router.get("/v1/budgets", use: auth.require(.read, list))
        router.post("/v1/budgets", use: auth.require(.write, create))
        router.get("/v1/budgets/{id}", use: auth.require(.read, get))
        router.put("/v1/budgets/{id}", use: auth.require(.write, update))
        router.delete("/v1/budgets/{id}", use: auth.require(.write, delete))
    }

    /// GET /v1/budgets
    func list(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let (paging, _) = try ListPaging.parse(request.queryItems, list: "budgets", filters: [])
        let rows = try await store.budgets(afterSeq: paging.after, limit: paging.limit + 1)
        let page = Array(rows.prefix(paging.limit))
        let body = ListBody(items: page.compactMap(BudgetDTO.init), nextCursor: paging.nextCursor(last: page.last?.seq, hasMore: rows.count > paging.limit))
        return .json(APIJSON.encode(body))
    }

    /// POST /v1/budgets
    func create(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let budget = try await validated(request.body)
        let record = try await store.insertBudget(
            id: Self.newID(), name: budget.name, body: Self.body(budget), audit: AuditTrail.budget(principal, "budget.create"))
        context.logger.info("budget created", metadata: ["budget.id": record.id, "auth.key": principal.name])
        return .json(APIJSON.encode(try Self.dto(record)), status: .created)
    }

    /// GET /v1/budgets/{id}
    func get(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let id = try context.parameter("id")
        guard let record = try await store.budget(id: id) else { throw Self.notFound(id) }
        return .json(APIJSON.encode(try Self.dto(record)))
    }

    /// PUT /v1/budgets/{id}: replaces the budget (a new version); its alerts are kept and re-evaluated.
    func update(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let id = try context.parameter("id")
        guard try await store.budget(id: id) != nil else { throw Self.notFound(id) }
        let budget = try await validated(request.body)
        guard let record = try await store.updateBudget(
            id: id, name: budget.name, body: Self.body(budget), audit: AuditTrail.budget(principal, "budget.update")) else { throw Self.notFound(id) }
        context.logger.info("budget updated", metadata: ["budget.id": id, "auth.key": principal.name])
        return .json(APIJSON.encode(try Self.dto(record)))
    }

    /// DELETE /v1/budgets/{id}: deletes it with its alerts; each channel is told once, in one message, that its
    /// firing alerts are resolved.
    func delete(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let id = try context.parameter("id")
        let now = self.now()
        guard try await store.deleteBudget(id: id, now: now, audit: AuditTrail.budget(principal, "budget.delete"), notices: { BudgetDeletion.notices(budget: $0, firing: $1, now: now) }) != nil else {
            throw Self.notFound(id)
        }
        context.logger.info("budget deleted", metadata: ["budget.id": id, "auth.key": principal.name])
        return HTTPResponse(status: .noContent)
    }

    /// Decodes and validates a body, including that every channel exists.
    private func validated(_ body: [UInt8]) async throws -> Budget {
        let budget = try Budget.decodeValidated(from: Data(body))
        let known = Set(try await store.channels(ids: budget.channels).map(\.id))
        let unknown = budget.channels.enumerated().filter { !known.contains($0.element) }
        if !unknown.isEmpty {
            // The body is well-formed; it refers to something that is not there (409, like a conflict with the state).
            throw AppError(.conflict, "The budget names channels that do not exist: "
                + unknown.map { "channels[\($0.offset)] \($0.element.prefix(100))" }.joined(separator: ", "),
                           fieldErrors: unknown.map { .init(field: "channels[\($0.offset)]", message: "no channel with this id") })
        }
        return budget
    }

    package static func body(_ budget: Budget) -> String {
        var b = budget
        b.id = ""
        return String(decoding: APIJSON.encode(b), as: UTF8.self)
    }

    static func dto(_ record: BudgetRecord) throws -> BudgetDTO {
        guard let dto = BudgetDTO(record) else { throw AppError(.internal, "stored budget \(record.id) does not decode") }
        return dto
    }

    static func notFound(_ id: String) -> AppError { AppError(.notFound, "no budget \(id.prefix(100))") }

    /// `bud_` + 16 random hex digits.
    package static func newID() -> String { "bud_" + Crypto.randomHex(bytes: 8) }
}
