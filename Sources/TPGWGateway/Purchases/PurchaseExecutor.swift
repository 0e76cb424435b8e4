import Foundation
import TPGWCore
import TPGWStore

/// Sends one purchase upstream through its account's provider and settles its ledger row. The one path shared by
/// `POST /v1/packages` and the `PurchaseReconciler`, so a purchase finished by either answers and records alike.
///
/// Two kinds of provider:
/// - with an idempotent create (Baidu's clientToken, kept at least 24 h): a row that may already have bought is
///   simply sent again with the same token, which returns the package bought the first time, never a second one;
/// - without one (Tencent): the create is sent exactly once. `attempted_at` is committed before it is sent, and
///   a row that has it is never sent again: an ambiguous answer is reconciled by listing the region for packages
///   of the ordered size and kind created since the attempt that no other purchase claims
///   (``PurchaseReconciliation``).
struct PurchaseExecutor: Sendable {
    let store: PostgresStore
    /// Per provider name (`bce`, `tencent`).
    let providers: [String: any CloudProvider]
    /// What each configured account may buy.
    let accounts: [String: PurchaseRequest.Account]
    let views: ViewStore
    let logger: Logger
    /// After an ambiguous create, how long a listing without the packages is not yet final.
    var settleAfter: TimeInterval = 600
    /// Clock skew allowed between tpgw's attempt time and the provider's `CreatedTime`.
    var clockSkew: TimeInterval = 120
    /// Per account: the off-peak window the first forecast of a bought package uses.
    var poolRules: [String: PoolRules] = [:]
    /// Wall time (the application's; moves with its clock in tests).
    var now: @Sendable () -> Date = { Date() }

    init(store: PostgresStore, providers: [String: any CloudProvider], accounts: [String: PurchaseRequest.Account], views: ViewStore, logger: Logger) {
        self.store = store
        self.providers = providers
        self.accounts = accounts
        self.views = views
        self.logger = logger
    }

    /// How one execution ended.
    enum Outcome: Sendable {
        /// Bought (or found bought): the 201 body to answer with and the (first) package key.
        case succeeded(body: [UInt8], key: PackageKey)
        /// A definite answer that nothing was bought (or a reconciliation that settled `failed` or `unknown`): the
        /// row is settled and replays this error.
        case rejected(AppError)
        /// No definite answer yet: the row stays `pending`, its lease given up, for a retry with the same key or the
        /// reconciler.
        case undecided(AppError)
    }

    /// Executes `order` for `record`. `actor` is who the audit trail names (the API key's name, or `reconciler`).
    /// - Parameter now: the time a reconciliation judges by (the reconciler's pass time; the request's time otherwise).
    func execute(_ record: PurchaseRecord, order: PurchaseRequest, requestID: String, actor: String, now: Date? = nil) async throws -> Outcome {
        let now = now ?? self.now()
        guard let provider = providers[order.provider] else {
            let error = AppError(.unavailable, "provider \(order.provider) of account \(order.account) is not configured on this replica")
            try await store.releasePurchase(id: record.id, errorCode: "notConfigured", errorMessage: error.message, upstreamRequestID: nil)
            return .undecided(error)
        }
        if provider.profile.idempotentCreate {
            return try await send(record, order: order, provider: provider, requestID: requestID, actor: actor)
        }
        // No idempotency token: one create per purchase, ever.
        if let attemptedAt = record.attemptedAt {
            return try await reconcile(record, order: order, provider: provider, attemptedAt: attemptedAt, requestID: requestID, actor: actor, now: now)
        }
        guard let attemptedAt = try await store.markPurchaseAttempted(id: record.id) else {
            // Someone marked it between our read and now (or it was settled): never send; look at it as it is.
            guard let current = try await store.purchase(id: record.id) else { throw AppError(.internal, "purchase \(record.id) vanished") }
            if current.state != .pending { return try settled(current) }
            return try await reconcile(current, order: order, provider: provider, attemptedAt: current.attemptedAt ?? now, requestID: requestID,
                                       actor: actor, now: now)
        }
        var sent = record
        sent.attemptedAt = attemptedAt
        return try await send(sent, order: order, provider: provider, requestID: requestID, actor: actor)
    }

    /// Sends the one create and settles the row by the answer.
    private func send(
        _ record: PurchaseRecord, order: PurchaseRequest, provider: any CloudProvider, requestID: String, actor: String
    ) async throws -> Outcome {
        let purchase: ProviderPurchase
        do {
            purchase = try await provider.buy(order, clientToken: record.clientToken)
        } catch {
            await audit(record, actor: actor, outcome: "failed", errorCode: error.code, errorMessage: error.message, upstreamRequestID: error.requestID)
            switch error.outcome {
            case .rejected:
                // A definite rejection: remember it so a replay answers the same.
                let problem = APIError.response(for: error.appError, requestID: requestID)
                try await store.finishPurchase(
                    id: record.id, state: .failed, packageID: nil, responseStatus: problem.status.code, responseBody: problem.body,
                    upstreamRequestID: error.requestID, errorCode: error.code, errorMessage: error.message)
                return .rejected(error.appError)
            case .notSent where !provider.profile.idempotentCreate:
                try await store.clearPurchaseAttempt(id: record.id, errorCode: error.code, errorMessage: error.message, upstreamRequestID: error.requestID)
                return .undecided(error.appError)
            case .notSent, .undecided:
                if provider.profile.idempotentCreate {
                    try await store.releasePurchase(id: record.id, errorCode: error.code, errorMessage: error.message, upstreamRequestID: error.requestID)
                    return .undecided(error.appError)
                }
                // It may have bought: never send again; look at the region now, then in the reconciler.
                logger.warning("purchase outcome ambiguous, reconciling by listing", metadata: [
                    "purchase.id": "\(record.id)", "error": error.code, "account": order.account, "region": order.region,
                ])
                try await store.noteReconciliation(
                    id: record.id, reconciliation: PurchaseReconciliation(
                        result: "pending", reason: "the create's answer was lost (\(error.code)); the region is listed before anything else",
                        lookedFor: lookedFor(order), createdSince: RFC3339.format((record.attemptedAt ?? self.now()).addingTimeInterval(-clockSkew)),
                        listings: 0, lastListedAt: nil, found: [], claimedElsewhere: [], lastError: nil).json,
                    errorCode: error.code, errorMessage: error.message, upstreamRequestID: error.requestID, release: false)
                var ambiguous = record
                ambiguous.errorCode = error.code
                ambiguous.errorMessage = error.message
                return try await reconcile(ambiguous, order: order, provider: provider, attemptedAt: record.attemptedAt ?? self.now(),
                                           requestID: requestID, actor: actor, now: self.now())
            }
        }
        return try await succeed(record, order: order, packages: purchase.packages, upstreamRequestID: purchase.requestID, actor: actor, reconciliation: nil)
    }

    /// Lists the region for the packages an ambiguous create may have bought, and settles the row when it can.
    func reconcile(
        _ record: PurchaseRecord, order: PurchaseRequest, provider: any CloudProvider, attemptedAt: Date, requestID: String, actor: String,
        now: Date, round: Int = 1
    ) async throws -> Outcome {
        var r = PurchaseReconciliation.parse(record.reconciliation) ?? PurchaseReconciliation(
            result: "pending", reason: "", lookedFor: lookedFor(order), createdSince: "", listings: 0, lastListedAt: nil, found: [],
            claimedElsewhere: [], lastError: nil)
        let since = attemptedAt.addingTimeInterval(-clockSkew)
        r.createdSince = RFC3339.format(since)
        r.lookedFor = lookedFor(order)
        let listed: [ObservedPackage]
        do {
            listed = try await provider.list(account: order.account, region: order.region)
        } catch {
            r.lastError = "\(error.code): \(error.message)"
            r.reason = "the region could not be listed; checked again later"
            try await store.noteReconciliation(
                id: record.id, reconciliation: r.json, errorCode: record.errorCode, errorMessage: record.errorMessage, upstreamRequestID: nil,
                release: true)
            await audit(record, actor: actor, outcome: "checked", errorCode: error.code, errorMessage: error.message)
            return .undecided(pendingError(record))
        }
        r.listings += 1
        r.lastListedAt = RFC3339.format(now)
        r.lastError = nil
        let matching = listed.filter { p in
            p.state.capacityBytes == order.capacityBytes && p.state.policy == order.policy && p.state.createdAt >= since
        }
        let claimed = try await store.claimedPackageIDs(account: order.account, region: order.region, excluding: record.id)
        let free = matching.filter { !claimed.contains($0.state.key.id) }
        r.found = free.map(\.state.key.id).sorted()
        r.claimedElsewhere = matching.map(\.state.key.id).filter(claimed.contains).sorted()
        let window = "\(r.listings) listing(s) of \(order.account)/\(order.region) for \(r.lookedFor) created since \(r.createdSince)"
        switch PurchaseReconciliation.verdict(found: r.found, count: order.count, attemptedAt: attemptedAt, now: now, settleAfter: settleAfter) {
        case .bought(let ids):
            r.result = "succeeded"
            r.reason = "found \(ids.joined(separator: ", ")) in \(window)"
            let byID = Dictionary(free.map { ($0.state.key.id, $0) }, uniquingKeysWith: { a, _ in a })
            do {
                return try await succeed(record, order: order, packages: ids.compactMap { byID[$0] }, upstreamRequestID: nil, actor: actor, reconciliation: r)
            } catch let lost as ClaimLost {
                // Another reconciliation claimed some of them between our listing and our claim: look again.
                logger.info("reconciled packages were claimed by another purchase; listing again", metadata: [
                    "purchase.id": "\(record.id)", "claimed": lost.ids.sorted().joined(separator: ","), "round": "\(round)",
                ])
                if round < 3 {
                    return try await reconcile(record, order: order, provider: provider, attemptedAt: attemptedAt, requestID: requestID,
                                               actor: actor, now: now, round: round + 1)
                }
                r.result = "pending"
                r.reason = "the packages found were claimed by another purchase while this one claimed them; checked again later"
                try await store.noteReconciliation(
                    id: record.id, reconciliation: r.json, errorCode: record.errorCode, errorMessage: record.errorMessage, upstreamRequestID: nil,
                    release: true)
                return .undecided(pendingError(record))
            } catch let inFlight as CreateInFlight {
                r.result = "pending"
                r.reason = "found \(ids.joined(separator: ", ")) in \(window), but purchase \(inFlight.purchaseID) sent a create in this "
                    + "region that awaits its answer: they may be its packages; checked again once it settled"
                try await store.noteReconciliation(
                    id: record.id, reconciliation: r.json, errorCode: record.errorCode, errorMessage: record.errorMessage, upstreamRequestID: nil,
                    release: true)
                await audit(record, actor: actor, outcome: "checked", errorCode: "createInFlight", errorMessage: r.reason)
                return .undecided(pendingError(record))
            }
        case .notBought:
            r.result = "failed"
            r.reason = "no package found in \(window); \(Int(settleAfter)) s have passed: the create did not buy, another order may be sent"
            let error = AppError(.upstreamUnavailable, "purchase \(record.id) failed: the create's answer was lost and \(r.reason)")
            return try await settle(record, state: .failed, error: error, code: "notBought", reconciliation: r, actor: actor, requestID: requestID)
        case .unclear(let why):
            r.result = "unknown"
            r.reason = "\(why) (\(window)); check the account's packages in the console before buying again"
            let error = AppError(.conflict, "purchase \(record.id) has an unknown outcome: \(r.reason)")
            return try await settle(record, state: .unknown, error: error, code: "outcomeUnknown", reconciliation: r, actor: actor, requestID: requestID)
        case .wait:
            r.result = "pending"
            r.reason = "nothing matching yet in \(window); checked again until \(Int(settleAfter)) s after the attempt"
            try await store.noteReconciliation(
                id: record.id, reconciliation: r.json, errorCode: record.errorCode, errorMessage: record.errorMessage, upstreamRequestID: nil,
                release: true)
            await audit(record, actor: actor, outcome: "checked", errorCode: "notFoundYet", errorMessage: r.reason)
            return .undecided(pendingError(record))
        }
    }

    /// The answer while a purchase without a definite outcome is being reconciled.
    private func pendingError(_ record: PurchaseRecord) -> AppError {
        AppError(.upstreamUnavailable, "purchase \(record.id): the create's answer was lost (\(record.errorCode ?? "ambiguous")); it is never sent "
            + "again: tpgw lists the region for the packages it may have bought (GET /v1/purchases/\(record.id))")
    }

    private func lookedFor(_ order: PurchaseRequest) -> String { "\(order.count) x \(order.capacity) \(order.policy.rawValue)" }

    /// Settles a row `failed` or `unknown` from a reconciliation.
    private func settle(
        _ record: PurchaseRecord, state: PurchaseRecord.State, error: AppError, code: String, reconciliation: PurchaseReconciliation,
        actor: String, requestID: String
    ) async throws -> Outcome {
        let problem = APIError.response(for: error, requestID: requestID)
        try await store.finishPurchase(
            id: record.id, state: state, packageID: nil, responseStatus: problem.status.code, responseBody: problem.body,
            upstreamRequestID: record.upstreamRequestID, errorCode: code, errorMessage: reconciliation.reason, reconciliation: reconciliation.json)
        await audit(record, actor: actor, outcome: state.rawValue, errorCode: code, errorMessage: reconciliation.reason)
        logger.error("purchase settled without packages", metadata: ["purchase.id": "\(record.id)", "state": state.rawValue, "reason": reconciliation.reason])
        return .rejected(error)
    }

    /// Records the packages bought and settles the row `succeeded`.
    private func succeed(
        _ record: PurchaseRecord, order: PurchaseRequest, packages: [ObservedPackage], upstreamRequestID: String?, actor: String,
        reconciliation: PurchaseReconciliation?
    ) async throws -> Outcome {
        guard let first = packages.first else { throw AppError(.internal, "purchase \(record.id) succeeded without a package") }
        let now = self.now()
        var dtos: [PackageDTO] = []
        let offPeak = (poolRules[order.account] ?? .bce).offPeak
        for p in packages {
            try await store.recordPurchasedPackage(p.state, raw: Array(p.raw.utf8))
            // No history yet: the forecast says so (lifetime average, `basis.historyHours` 0).
            dtos.append(PackageDTO(
                state: p.state, forecast: ProbabilisticForecaster.forecast(package: p.state, features: ForecastFeatures(), now: now, offPeak: offPeak)))
        }
        struct Many: Encodable { var items: [PackageDTO] }
        let body = dtos.count == 1 ? APIJSON.encode(dtos[0]) : APIJSON.encode(Many(items: dtos))
        let ids = packages.map(\.state.key.id)
        if let reconciliation {
            // Found by listing, not named by the provider: claim them, unless another purchase did first.
            switch try await store.finishReconciledPurchase(
                id: record.id, account: order.account, region: order.region, packageIDs: ids, responseStatus: 201, responseBody: body,
                reconciliation: reconciliation.json)
            {
            case .settled: break
            case .alreadySettled:
                guard let current = try await store.purchase(id: record.id) else { throw AppError(.internal, "purchase \(record.id) vanished") }
                return try settled(current)
            case .claimedElsewhere(let taken): throw ClaimLost(ids: taken)
            case .createInFlight(let other): throw CreateInFlight(purchaseID: other)
            }
        } else {
            try await store.finishPurchase(
                id: record.id, state: .succeeded, packageID: ids[0], responseStatus: 201, responseBody: body, upstreamRequestID: upstreamRequestID,
                errorCode: nil, errorMessage: nil, packageIDs: ids)
        }
        await audit(record, actor: actor, outcome: "succeeded", packageID: ids.joined(separator: ","))
        // The new packages are visible to the next read: rebuild their source's part of the view now.
        do { try await views.rebuild(sources: [first.state.key.source]) } catch { views.invalidate(source: first.state.key.source) }
        logger.notice("package bought", metadata: [
            "package.key": first.state.key.description, "packages": "\(ids.count)", "caller": record.caller, "actor": actor,
            "purchase.id": "\(record.id)",
        ])
        return .succeeded(body: body, key: first.state.key)
    }

    /// A reconciliation's claim lost to another purchase's claim on some of the same packages.
    private struct ClaimLost: Error { var ids: Set<String> }

    /// Another create in the region awaits its answer: the packages found may be its own.
    private struct CreateInFlight: Error { var purchaseID: Int64 }

    /// The outcome of a row already settled (by another request or the reconciler).
    private func settled(_ record: PurchaseRecord) throws -> Outcome {
        guard let status = record.responseStatus, let body = record.responseBody else {
            throw AppError(.internal, "purchase \(record.id) is \(record.state.rawValue) without a stored response")
        }
        if status == 201, let id = record.packageID {
            return .succeeded(body: body, key: PackageKey(provider: record.provider, account: record.account, region: record.region, id: id))
        }
        return .rejected(AppError(.conflict, "purchase \(record.id) is \(record.state.rawValue): \(record.errorMessage ?? "")"))
    }

    /// Appends to the audit trail; a failed write is logged, never fatal.
    func audit(
        _ record: PurchaseRecord, actor: String, outcome: String, packageID: String? = nil, errorCode: String? = nil, errorMessage: String? = nil,
        upstreamRequestID: String? = nil
    ) async {
        do {
            try await store.recordPurchaseAttempt(
                purchaseID: record.id, account: record.account, idempotencyKey: record.idempotencyKey, caller: actor,
                bodyJSON: record.requestBody, outcome: outcome, packageID: packageID, upstreamRequestID: upstreamRequestID,
                errorCode: errorCode, errorMessage: errorMessage)
        } catch {
            logger.error("purchase audit write failed", metadata: ["error": "\(error)", "purchase.id": "\(record.id)"])
        }
    }
}
