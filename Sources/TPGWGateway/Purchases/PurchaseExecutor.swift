import Foundation
import TPGWBCE
import TPGWCore
import TPGWStore

/// Sends one purchase upstream by its clientToken and settles its ledger row. The one path shared by
/// `POST /v1/packages` and the `PurchaseReconciler`, so a purchase finished by either answers and records alike.
///
/// BCE's create is idempotent by clientToken for at least 24 h (docs/bce-eip-tp.md): sending it again for a row
/// that may already have bought returns the package bought the first time, never a second one.
struct PurchaseExecutor: Sendable {
    let store: PostgresStore
    let bce: BCEClient
    let endpoints: [String: [String: BCEEndpoint]]
    let views: ViewStore
    let logger: Logger
    /// The regions each account may buy in, sorted (derived once from `endpoints`, not per request).
    let accountRegions: [String: [String]]

    init(store: PostgresStore, bce: BCEClient, endpoints: [String: [String: BCEEndpoint]], views: ViewStore, logger: Logger) {
        self.store = store
        self.bce = bce
        self.endpoints = endpoints
        self.views = views
        self.logger = logger
        accountRegions = endpoints.mapValues { Array($0.keys).sorted() }
    }

    /// How one execution ended.
    enum Outcome: Sendable {
        /// Bought (or found bought by the clientToken): the 201 body to answer with and the package key.
        case succeeded(body: [UInt8], key: PackageKey)
        /// Upstream said no (a 4xx answer): the row is `failed` and replays this error.
        case rejected(AppError)
        /// No definite answer (timeout, 5xx, connection, circuit open): the row stays `pending`, its lease given up,
        /// for a retry with the same key or the reconciler.
        case undecided(AppError)
    }

    /// Whether an upstream error is a definite answer that the purchase did not happen.
    static func isDefiniteRejection(_ error: BCEError) -> Bool {
        error.kind == .service && (error.status ?? 500) < 500 && error.status != 429
    }

    /// Creates `order` upstream with `record.clientToken` and settles `record` by the answer. `actor` is who the
    /// audit trail names (the API key's name, or `reconciler`).
    func execute(_ record: PurchaseRecord, order: PurchaseRequest, requestID: String, actor: String) async throws -> Outcome {
        guard let endpoint = endpoints[order.account]?[order.region] else {
            let error = AppError(.unavailable, "account \(order.account) region \(order.region) is not configured on this replica")
            try await store.releasePurchase(id: record.id, errorCode: "notConfigured", errorMessage: error.message, upstreamRequestID: nil)
            return .undecided(error)
        }
        let packageID: String
        do {
            packageID = try await bce.createPackage(endpoint, order: order.bceOrder, clientToken: record.clientToken)
        } catch let error as BCEError {
            let appError = error.appError
            await audit(record, actor: actor, outcome: "failed", error: error)
            if Self.isDefiniteRejection(error) {
                // A definite rejection: remember it so a replay answers the same.
                let problem = APIError.response(for: appError, requestID: requestID)
                try await store.finishPurchase(
                    id: record.id, state: .failed, packageID: nil, responseStatus: problem.status.code, responseBody: problem.body,
                    upstreamRequestID: error.requestID, errorCode: error.code ?? error.kind.rawValue, errorMessage: error.message)
                return .rejected(appError)
            }
            try await store.releasePurchase(
                id: record.id, errorCode: error.code ?? error.kind.rawValue, errorMessage: error.message, upstreamRequestID: error.requestID)
            return .undecided(appError)
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
            raw = OrderedJSON.object([("id", .string(packageID))]).bytes
        }
        try await store.recordPurchasedPackage(state, raw: raw)
        let forecast = Forecaster.forecast(package: state, snapshots: [], now: now)
        let body = APIJSON.encode(PackageDTO(state: state, forecast: forecast))
        try await store.finishPurchase(
            id: record.id, state: .succeeded, packageID: packageID, responseStatus: 201, responseBody: body, upstreamRequestID: nil,
            errorCode: nil, errorMessage: nil)
        await audit(record, actor: actor, outcome: "succeeded", packageID: packageID)
        // The new package is visible to the next read: rebuild its source's part of the view now.
        do { try await views.rebuild(sources: [state.key.source]) } catch { views.invalidate(source: state.key.source) }
        logger.notice("package bought", metadata: [
            "package.key": state.key.description, "caller": record.caller, "actor": actor, "purchase.id": "\(record.id)",
        ])
        return .succeeded(body: body, key: state.key)
    }

    /// Appends to the audit trail; a failed write is logged, never fatal.
    func audit(
        _ record: PurchaseRecord, actor: String, outcome: String, packageID: String? = nil, error: BCEError? = nil,
        errorCode: String? = nil, errorMessage: String? = nil
    ) async {
        do {
            try await store.recordPurchaseAttempt(
                purchaseID: record.id, account: record.account, idempotencyKey: record.idempotencyKey, caller: actor,
                bodyJSON: record.requestBody, outcome: outcome, packageID: packageID, upstreamRequestID: error?.requestID,
                errorCode: errorCode ?? error?.code ?? error?.kind.rawValue, errorMessage: errorMessage ?? error?.message)
        } catch {
            logger.error("purchase audit write failed", metadata: ["error": "\(error)", "purchase.id": "\(record.id)"])
        }
    }
}
