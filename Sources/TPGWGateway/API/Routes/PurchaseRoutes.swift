import Foundation
import TPGWBCE
import TPGWCore
import TPGWHTTP
import TPGWStore

/// `POST /v1/packages` (buy, idempotent per API key), `POST /v1/packages/quote`, and the purchase ledger
/// (`GET /v1/purchases`, `GET /v1/purchases/{id}`).
struct PurchaseRoutes: Sendable {
    let executor: PurchaseExecutor
    let auth: Authenticator
    /// Watched accounts that cannot buy yet (Tencent Cloud), with their provider: a clear 422 instead of a 404.
    var readOnlyAccounts: [String: String] = [:]

    /// How long the request that inserted a purchase has it to itself before a retry or the reconciler may take
    /// over: longer than one create with its retries.
    static let leaseSeconds: Double = 120
    /// `Retry-After` for a request whose key another request is still buying with.
    static let retryAfterSeconds = 2
    static let states: Set<String> = Set(PurchaseRecord.State.allCases.map(\.rawValue))

    var store: PostgresStore { executor.store }

    func register(on router: Router) {
        router.post("/v1/packages", use: auth.require(.write, precondition: { _ = try Self.idempotencyKey($0) }, buy))
        router.post("/v1/packages/quote", use: auth.require(.read, quote))
        router.get("/v1/purchases", use: auth.require(.read, list))
        router.get("/v1/purchases/{id}", use: auth.require(.read, get))
    }

    /// The accounts and regions a purchase may name (configuration: fixed for the life of the process).
    private var accountRegions: [String: [String]] { executor.accountRegions }

    /// POST /v1/packages/quote
    func quote(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let order = try PurchaseRequest.validate(body: request.body, accounts: accountRegions, readOnlyAccounts: readOnlyAccounts)
        let endpoint = executor.endpoints[order.account]![order.region]!
        let price: String
        do {
            price = try await executor.bce.quote(endpoint, order: order.bceOrder)
        } catch let error as BCEError {
            throw error.appError
        }
        struct Body: Encodable {
            var account, region: String
            var reservationLength: Int
            var capacity, policy, price, currency: String
        }
        return .json(APIJSON.encode(Body(
            account: order.account, region: order.region, reservationLength: order.reservationLength, capacity: order.capacity,
            policy: order.policy.rawValue, price: price, currency: "CNY")))
    }

    /// The `Idempotency-Key` header, checked (as a precondition of the request, before the rate limit is charged).
    static func idempotencyKey(_ request: HTTPRequest) throws -> String {
        guard let key = request.headers["Idempotency-Key"]?.trimmingCharacters(in: .whitespaces), !key.isEmpty else {
            throw AppError(.invalidArgument, "Idempotency-Key header is required for purchases (any unique string up to 128 characters)")
        }
        guard key.count <= 128, key.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value <= 0x7E }) else {
            throw AppError(.invalidArgument, "Idempotency-Key must be 1-128 printable ASCII characters without spaces")
        }
        return key
    }

    /// POST /v1/packages — buys once per (API key, Idempotency-Key).
    ///
    /// The ledger row is committed `pending` before the create is sent. A second request with the same key while the
    /// first is still buying gets `409 inProgress` with `Retry-After` (it is not sent upstream); once the first has
    /// an answer, the same key replays it. A pending row whose request died or got no definite answer is taken over
    /// by the next retry (or the reconciler), which sends the create again with the same clientToken.
    func buy(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let key = try Self.idempotencyKey(request)
        let order = try PurchaseRequest.validate(body: request.body, accounts: accountRegions, readOnlyAccounts: readOnlyAccounts)
        let (claimed, created) = try await store.claimPurchase(
            apiKeyID: principal.keyID, caller: principal.name, idempotencyKey: key, account: order.account, region: order.region,
            canonical: order.canonical, bodyJSON: order.json, clientToken: PurchaseRequest.clientToken(apiKeyID: principal.keyID, idempotencyKey: key),
            leaseSeconds: Self.leaseSeconds)
        var record = claimed
        guard record.requestCanonical == order.canonical else {
            await executor.audit(record, actor: principal.name, outcome: "conflict")
            throw AppError(.conflict, "Idempotency-Key \(key) was already used with a different request body (purchase \(record.id))")
        }
        if !created {
            if record.state != .pending { return try await replay(record, actor: principal.name) }
            guard let taken = try await store.takeOverPurchase(id: record.id, leaseSeconds: Self.leaseSeconds) else {
                // Another request holds it, or it was settled a moment ago.
                if let now = try await store.purchase(id: record.id), now.state != .pending { return try await replay(now, actor: principal.name) }
                await executor.audit(record, actor: principal.name, outcome: "inProgress")
                throw AppError(.inProgress, "purchase \(record.id) with Idempotency-Key \(key) is still in progress; retry the same request later",
                               fieldErrors: [.init(field: "retryAfter", message: "\(Self.retryAfterSeconds)")])
            }
            record = taken
        }
        switch try await executor.execute(record, order: order, requestID: context.requestID, actor: principal.name) {
        case .succeeded(let body, let packageKey):
            var response = HTTPResponse.json(body, status: .created)
            response.headers.add("Location", "/v1/packages/" + packageKey.description)
            response.headers.add("X-Purchase-Id", String(record.id))
            return response
        case .rejected(let error), .undecided(let error):
            throw error
        }
    }

    /// Answers a settled purchase's stored response again.
    private func replay(_ record: PurchaseRecord, actor: String) async throws -> HTTPResponse {
        guard let status = record.responseStatus, let body = record.responseBody else {
            throw AppError(.internal, "purchase \(record.id) is \(record.state.rawValue) without a stored response")
        }
        await executor.audit(record, actor: actor, outcome: "replayed", packageID: record.packageID)
        var response = HTTPResponse(status: HTTPStatus(code: status, reason: status == 201 ? "Created" : "Error"), body: body)
        response.headers.add("Content-Type", status == 201 ? "application/json" : "application/problem+json")
        response.headers.add("Idempotent-Replayed", "true")
        response.headers.add("X-Purchase-Id", String(record.id))
        return response
    }

    /// GET /v1/purchases?state=&requestedBy= — newest first.
    func list(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let (paging, filters) = try ListPaging.parse(request.queryItems, list: "purchases", filters: ["state", "requestedBy"])
        if let state = filters["state"], !Self.states.contains(state) {
            throw AppError(.validationFailed, "invalid list query",
                           fieldErrors: [.init(field: "state", message: "must be one of pending, succeeded, failed, unknown")])
        }
        let rows = try await store.purchases(state: filters["state"], caller: filters["requestedBy"], beforeID: paging.after, limit: paging.limit + 1)
        let page = Array(rows.prefix(paging.limit))
        let body = ListBody(items: page.map { PurchaseDTO(record: $0) }, nextCursor: paging.nextCursor(last: page.last?.id, hasMore: rows.count > paging.limit))
        return .json(APIJSON.encode(body))
    }

    /// GET /v1/purchases/{id} — with its audit trail.
    func get(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let raw = try context.parameter("id")
        guard let id = Int64(raw), let record = try await store.purchase(id: id) else { throw AppError(.notFound, "no purchase \(raw.prefix(100))") }
        let attempts = try await store.purchaseAttempts(purchaseID: id)
        return .json(APIJSON.encode(PurchaseDTO(record: record, attempts: attempts)))
    }
}

extension PurchaseRequest {
    var bceOrder: BCEPackageOrder {
        BCEPackageOrder(reservationLength: reservationLength, capacity: capacity, deductPolicy: policy, packageType: lineType)
    }

    /// The normalised request as JSON, for the ledger and audit trail.
    var json: String {
        OrderedJSON.object([
            ("account", .string(account)), ("region", .string(region)), ("reservationLength", .integer(Int64(reservationLength))),
            ("capacity", .string(capacity)), ("policy", .string(policy.rawValue)), ("lineType", .string(lineType)),
        ]).rendered
    }
}
