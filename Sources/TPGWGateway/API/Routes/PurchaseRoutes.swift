import Foundation
import TPGWCore
import TPGWHTTP
import TPGWStore

/// `POST /v1/packages` (buy, idempotent per API key), `POST /v1/packages/quote`, and the purchase ledger
/// (`GET /v1/purchases`, `GET /v1/purchases/{id}`).
struct PurchaseRoutes: Sendable {
    let executor: PurchaseExecutor
    let auth: Authenticator

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

    /// The accounts and regions a purchase may name, with their providers (configuration: fixed for the life of the process).
    private var accounts: [String: PurchaseRequest.Account] { executor.accounts }

    /// POST /v1/packages/quote — the provider's price, or `price: null` with a note when it has no price API (Tencent).
    func quote(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let order = try PurchaseRequest.validate(body: request.body, accounts: accounts)
        guard let provider = executor.providers[order.provider] else {
            throw AppError(.unavailable, "provider \(order.provider) is not configured on this replica")
        }
        let price: Decimal?
        do {
            price = try await provider.quote(order)
        } catch {
            throw error.appError
        }
        struct Body: Encodable {
            var account, region, provider: String
            var reservationLength: Int
            var capacity, policy: String
            var count: Int
            var price: String?
            var currency: String
            var priceAPI: Bool
            var note: String?
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(account, forKey: .account)
                try c.encode(region, forKey: .region)
                try c.encode(provider, forKey: .provider)
                try c.encode(reservationLength, forKey: .reservationLength)
                try c.encode(capacity, forKey: .capacity)
                try c.encode(policy, forKey: .policy)
                try c.encode(count, forKey: .count)
                try c.encode(price, forKey: .price)
                try c.encode(currency, forKey: .currency)
                try c.encode(priceAPI, forKey: .priceAPI)
                try c.encodeIfPresent(note, forKey: .note)
            }
            enum CodingKeys: String, CodingKey { case account, region, provider, reservationLength, capacity, policy, count, price, currency, priceAPI, note }
        }
        let profile = provider.profile
        return .json(APIJSON.encode(Body(
            account: order.account, region: order.region, provider: order.provider, reservationLength: order.reservationLength,
            capacity: order.capacity, policy: order.policy.rawValue, count: order.count,
            price: price.map { NSDecimalNumber(decimal: $0).stringValue }, currency: profile.currency, priceAPI: price != nil,
            note: price == nil ? "\(profile.displayName) offers no price API for traffic packages: see its price page" : nil)))
    }

    /// The `Idempotency-Key` header, checked (as a precondition of the request, before the rate limit is charged).
    static func idempotencyKey(_ request: HTTPRequest) throws -> String {
        guard let key = request.headers["Idempotency-Key"].map({ String(HeaderValue.trimmed($0)) }), !key.isEmpty else {
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
    /// by the next retry (or the reconciler): Baidu's create is sent again with the same clientToken; a Tencent
    /// create that was sent is never sent again, the region is listed instead (``PurchaseExecutor``).
    func buy(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let key = try Self.idempotencyKey(request)
        let order = try PurchaseRequest.validate(body: request.body, accounts: accounts)
        let (claimed, created) = try await store.claimPurchase(
            apiKeyID: principal.keyID, caller: principal.name, idempotencyKey: key, account: order.account, region: order.region,
            canonical: order.canonical, bodyJSON: order.json, clientToken: PurchaseRequest.clientToken(apiKeyID: principal.keyID, idempotencyKey: key),
            leaseSeconds: Self.leaseSeconds, provider: order.provider)
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
