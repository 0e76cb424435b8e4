import Foundation
import TPGWBCE
import TPGWCore
import TPGWHTTP
import TPGWStore

/// `POST /v1/packages` (buy, idempotent) and `POST /v1/packages/quote`.
struct PurchaseRoutes: Sendable {
    let store: PostgresStore
    let bce: BCEClient
    let endpoints: [String: [String: BCEEndpoint]]
    let views: ViewStore
    let auth: Authenticator
    let logger: Logger

    func register(on router: Router) {
        router.post("/v1/packages", use: auth.require(.write, buy))
        router.post("/v1/packages/quote", use: auth.require(.read, quote))
    }

    private var accountRegions: [String: [String]] { endpoints.mapValues { Array($0.keys).sorted() } }

    /// POST /v1/packages/quote
    func quote(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let order = try PurchaseRequest.validate(body: request.body, accounts: accountRegions)
        let endpoint = endpoints[order.account]![order.region]!
        let price: String
        do {
            price = try await bce.quote(endpoint, order: order.bceOrder)
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

    /// POST /v1/packages — buys once per (account, Idempotency-Key).
    func buy(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        guard let key = request.headers["Idempotency-Key"]?.trimmingCharacters(in: .whitespaces), !key.isEmpty else {
            throw AppError(.invalidArgument, "Idempotency-Key header is required for purchases (any unique string up to 128 characters)")
        }
        guard key.count <= 128, key.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value <= 0x7E }) else {
            throw AppError(.invalidArgument, "Idempotency-Key must be 1-128 printable ASCII characters without spaces")
        }
        let order = try PurchaseRequest.validate(body: request.body, accounts: accountRegions)
        let endpoint = endpoints[order.account]![order.region]!
        let bodyJSON = order.json
        let token = PurchaseRequest.clientToken(account: order.account, idempotencyKey: key)
        let (record, created) = try await store.claimPurchase(
            account: order.account, idempotencyKey: key, canonical: order.canonical, bodyJSON: bodyJSON, clientToken: token,
            caller: principal.name, region: order.region)
        func audit(_ outcome: String, packageID: String? = nil, error: BCEError? = nil) async {
            do {
                try await store.recordPurchaseAttempt(
                    account: order.account, idempotencyKey: key, caller: principal.name, bodyJSON: bodyJSON, outcome: outcome,
                    packageID: packageID, upstreamRequestID: error?.requestID, errorCode: error?.code ?? error?.kind.rawValue,
                    errorMessage: error.map { $0.message })
            } catch {
                logger.error("purchase audit write failed", metadata: ["error": "\(error)", "idempotency.key": key])
            }
        }
        guard record.requestCanonical == order.canonical else {
            await audit("conflict")
            throw AppError(.conflict, "Idempotency-Key \(key) was already used with a different request body")
        }
        if !created, record.state != .pending, let status = record.responseStatus, let body = record.responseBody {
            await audit("replayed", packageID: record.packageID)
            var response = HTTPResponse(status: HTTPStatus(code: status, reason: status == 201 ? "Created" : "Error"), body: body)
            response.headers.add("Content-Type", status == 201 ? "application/json" : "application/problem+json")
            response.headers.add("Idempotent-Replayed", "true")
            return response
        }

        let packageID: String
        do {
            packageID = try await bce.createPackage(endpoint, order: order.bceOrder, clientToken: token)
        } catch let error as BCEError {
            await audit("failed", error: error)
            let appError = error.appError
            if !error.isUnavailability {
                // A definite rejection: remember it so a replay answers the same.
                let problem = APIError.response(for: appError, requestID: context.requestID)
                try await store.finishPurchase(
                    account: order.account, idempotencyKey: key, state: .failed, packageID: nil, responseStatus: problem.status.code,
                    responseBody: problem.body, upstreamRequestID: error.requestID, errorCode: error.code, errorMessage: error.message)
            }
            throw appError
        }

        let now = Date()
        var state: PackageState
        var raw: [UInt8]
        do {
            let bought = try await bce.getPackage(endpoint, id: packageID)
            state = bought.state(source: endpoint.source, observedAt: now)
            raw = bought.raw
        } catch {
            // Bought but not yet readable: store what we know; the next poll fills in the rest.
            let months = Calendar(identifier: .gregorian).date(byAdding: .month, value: order.reservationLength, to: now) ?? now
            state = PackageState(
                key: PackageKey(provider: "bce", account: order.account, region: order.region, id: packageID), policy: order.policy,
                status: .active, capacityBytes: CapacityTable.bytes(of: order.capacity) ?? 0, usedBytes: 0, createdAt: now,
                activatedAt: now, expiresAt: months, observedAt: now)
            raw = Array("{\"id\":\(JSONString.quote(packageID))}".utf8)
        }
        try await store.recordPurchasedPackage(state, raw: raw)
        let forecast = Forecaster.forecast(package: state, snapshots: [], now: now)
        let body = APIJSON.encode(PackageDTO(state: state, forecast: forecast))
        try await store.finishPurchase(
            account: order.account, idempotencyKey: key, state: .succeeded, packageID: packageID, responseStatus: 201,
            responseBody: body, upstreamRequestID: nil, errorCode: nil, errorMessage: nil)
        await audit("succeeded", packageID: packageID)
        // The new package is visible to the next read: rebuild its source's part of the view now.
        do { try await views.rebuild(sources: [state.key.source]) } catch { views.invalidate(source: state.key.source) }
        logger.notice("package bought", metadata: ["package.key": state.key.description, "caller": principal.name, "idempotency.key": key])
        var response = HTTPResponse.json(body, status: .created)
        response.headers.add("Location", "/v1/packages/" + state.key.description)
        return response
    }
}

extension PurchaseRequest {
    var bceOrder: BCEPackageOrder {
        BCEPackageOrder(reservationLength: reservationLength, capacity: capacity, deductPolicy: policy, packageType: lineType)
    }

    /// The normalised request as JSON, for the ledger and audit trail.
    var json: String {
        "{\"account\":\(JSONString.quote(account)),\"region\":\(JSONString.quote(region)),\"reservationLength\":\(reservationLength),"
            + "\"capacity\":\(JSONString.quote(capacity)),\"policy\":\(JSONString.quote(policy.rawValue)),\"lineType\":\(JSONString.quote(lineType))}"
    }
}
