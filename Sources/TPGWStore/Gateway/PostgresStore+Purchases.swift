import Foundation
import TPGWCore

extension PostgresStore {
    static let purchaseColumns = """
        id, api_key_id, caller, account, region, idempotency_key, request_canonical, request_body::text, client_token, state, \
        package_id, response_status, encode(response_body, 'base64'), upstream_request_id, error_code, error_message, checks, \
        last_checked_at, created_at, updated_at, lease_until, provider, array_to_string(package_ids, ' '), attempted_at, reconciliation::text
        """

    /// Claims (API key, Idempotency-Key) for a purchase, or returns the row another request already made.
    ///
    /// The row is inserted `pending` and committed on its own before anything is sent upstream, with a lease of
    /// `leaseSeconds` (database clock) for the caller that made it. The unique constraint on (api_key_id,
    /// idempotency_key) makes a concurrent second insert wait for the first and then do nothing, so exactly one
    /// request gets `created == true`.
    /// - Returns: `(record, created)`; `created` is false when the key was used before by this API key.
    package func claimPurchase(
        apiKeyID: Int64, caller: String, idempotencyKey: String, account: String, region: String, canonical: String, bodyJSON: String,
        clientToken: String, leaseSeconds: Double, provider: String = "bce"
    ) async throws -> (PurchaseRecord, Bool) {
        // The new purchase is audited (`purchase.create`, by the caller) in the same statement.
        let inserted = try await pool.query("""
            WITH p AS (
                INSERT INTO purchases (api_key_id, caller, account, region, idempotency_key, request_canonical, request_body, client_token,
                                       state, lease_until, provider)
                VALUES (\(apiKeyID), \(caller), \(account), \(region), \(idempotencyKey), \(canonical), \(bodyJSON)::jsonb, \(clientToken),
                        'pending', now() + make_interval(secs => \(leaseSeconds)), \(provider))
                ON CONFLICT (api_key_id, idempotency_key) DO NOTHING
                RETURNING \(unsafeRaw: Self.purchaseColumns)
            ), a AS (
                INSERT INTO audit_log (actor, action, target_type, target_id, after)
                SELECT \(caller), 'purchase.create', 'purchase', p.id::text,
                       jsonb_build_object('account', p.account, 'region', p.region, 'idempotencyKey', p.idempotency_key,
                                          'request', p.request_body::jsonb, 'state', p.state)
                FROM p
            )
            SELECT * FROM p
            """)
        if let row = inserted.first { return (try Self.decodePurchase(row), true) }
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: Self.purchaseColumns) FROM purchases WHERE api_key_id = \(apiKeyID) AND idempotency_key = \(idempotencyKey)
            """, idempotent: true)
        guard let row = rows.first else { throw AppError(.internal, "purchase ledger row vanished") }
        return (try Self.decodePurchase(row), false)
    }

    /// Takes over a pending purchase whose lease ran out (its request died or gave up), for `leaseSeconds`
    /// (database clock). Nil when the row is settled or someone else holds it.
    package func takeOverPurchase(id: Int64, leaseSeconds: Double) async throws -> PurchaseRecord? {
        let rows = try await pool.query("""
            UPDATE purchases SET lease_until = now() + make_interval(secs => \(leaseSeconds))
            WHERE id = \(id) AND state = 'pending' AND lease_until <= now()
            RETURNING \(unsafeRaw: Self.purchaseColumns)
            """)
        return try rows.first.map { row throws in try Self.decodePurchase(row) }
    }

    /// Gives up a lease at once (the request got no definite answer): the next retry or reconciler pass takes the row.
    package func releasePurchase(id: Int64, errorCode: String?, errorMessage: String?, upstreamRequestID: String?) async throws {
        _ = try await pool.query("""
            UPDATE purchases SET lease_until = now(), error_code = \(errorCode), error_message = \(errorMessage),
                   upstream_request_id = \(upstreamRequestID), updated_at = now()
            WHERE id = \(id) AND state = 'pending'
            """)
    }

    /// Claims up to `limit` pending purchases whose lease ran out by `now`, oldest lease first, until `now + lease`,
    /// counting a check on each. Rows another replica holds are skipped.
    package func claimStalePurchases(now: Date, lease: TimeInterval, limit: Int) async throws -> [PurchaseRecord] {
        let until = now.addingTimeInterval(lease)
        let rows = try await pool.query("""
            UPDATE purchases SET lease_until = \(until), checks = checks + 1, last_checked_at = \(now)
            WHERE id IN (
                SELECT id FROM purchases WHERE state = 'pending' AND lease_until <= \(now)
                ORDER BY lease_until LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING \(unsafeRaw: Self.purchaseColumns)
            """)
        return try rows.map { row throws in try Self.decodePurchase(row) }.sorted { $0.id < $1.id }
    }

    /// One purchase by id.
    package func purchase(id: Int64) async throws -> PurchaseRecord? {
        let rows = try await pool.query("SELECT \(unsafeRaw: Self.purchaseColumns) FROM purchases WHERE id = \(id)", idempotent: true)
        return try rows.first.map { row throws in try Self.decodePurchase(row) }
    }

    /// A page of purchases, newest first, optionally of one state or one caller (API key name).
    package func purchases(state: String? = nil, caller: String? = nil, beforeID: Int64? = nil, limit: Int) async throws -> [PurchaseRecord] {
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: Self.purchaseColumns) FROM purchases
            WHERE (\(state)::text IS NULL OR state = \(state)) AND (\(caller)::text IS NULL OR caller = \(caller))
              AND id < \(beforeID ?? Int64.max)
            ORDER BY id DESC LIMIT \(limit)
            """, idempotent: true)
        return try rows.map { row throws in try Self.decodePurchase(row) }
    }

    /// Settles a pending purchase (succeeded, failed or unknown) with the response a replay answers.
    /// - Parameters:
    ///   - packageIDs: every package bought (defaults to `packageID` alone).
    ///   - reconciliation: what a reconciliation checked (JSON object text); nil keeps what is stored.
    /// - Returns: false when the row was already settled (by another request or the reconciler).
    @discardableResult
    package func finishPurchase(
        id: Int64, state: PurchaseRecord.State, packageID: String?, responseStatus: Int, responseBody: [UInt8], upstreamRequestID: String?,
        errorCode: String?, errorMessage: String?, packageIDs: [String]? = nil, reconciliation: String? = nil
    ) async throws -> Bool {
        let rows = try await pool.query(Self.settle(
            id: id, state: state, packageID: packageID, responseStatus: responseStatus, responseBody: responseBody,
            upstreamRequestID: upstreamRequestID, errorCode: errorCode, errorMessage: errorMessage,
            packageIDs: packageIDs ?? packageID.map { [$0] }, reconciliation: reconciliation))
        return !rows.isEmpty
    }

    /// How settling a purchase with packages found by a reconciliation ended.
    package enum ClaimOutcome: Equatable, Sendable {
        case settled
        /// Another request or the reconciler settled the row first.
        case alreadySettled
        /// Another purchase of the same account and region claimed these packages first; list again.
        case claimedElsewhere(Set<String>)
        /// Another create in the same account and region was sent and awaits its answer: what was found may be its
        /// packages; check again once it settled.
        case createInFlight(purchaseID: Int64)
    }

    /// Settles a purchase `succeeded` with packages a reconciliation found, unless another purchase of the same
    /// account and region claimed any of them first, or another create there was sent and awaits its answer (its
    /// `attempted_at` is committed before it is sent, so a create whose packages this listing could hold is either
    /// settled with its ids or seen in flight here). Claims within one account and region are serialized by a
    /// transaction-scoped advisory lock, so two reconciliations running at the same instant never claim one package.
    package func finishReconciledPurchase(
        id: Int64, account: String, region: String, packageIDs: [String], responseStatus: Int, responseBody: [UInt8], reconciliation: String
    ) async throws -> ClaimOutcome {
        try await pool.withTransaction(attempts: 3) { connection in
            _ = try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended('tpgw.purchase-claim:' || \(account) || ':' || \(region), 0))")
            let taken = try await connection.query("""
                SELECT DISTINCT unnest(package_ids) FROM purchases
                WHERE account = \(account) AND region = \(region) AND package_ids && \(packageIDs)::text[] AND id <> \(id)
                """)
            let claimed = Set(try taken.map { row throws in try row.decode(String.self, at: 0) }).intersection(packageIDs)
            if !claimed.isEmpty { return .claimedElsewhere(claimed) }
            let inFlight = try await connection.query("""
                SELECT id FROM purchases
                WHERE account = \(account) AND region = \(region) AND id <> \(id) AND state = 'pending'
                  AND attempted_at IS NOT NULL AND reconciliation IS NULL
                ORDER BY id LIMIT 1
                """)
            if let other = inFlight.first { return .createInFlight(purchaseID: try other.decode(Int64.self, at: 0)) }
            let rows = try await connection.query(Self.settle(
                id: id, state: .succeeded, packageID: packageIDs.first, responseStatus: responseStatus, responseBody: responseBody,
                upstreamRequestID: nil, errorCode: nil, errorMessage: nil, packageIDs: packageIDs, reconciliation: reconciliation))
            return rows.isEmpty ? .alreadySettled : .settled
        }
    }

    /// The statement that settles a pending row and audits it (`purchase.settle`) in one go.
    private static func settle(
        id: Int64, state: PurchaseRecord.State, packageID: String?, responseStatus: Int, responseBody: [UInt8], upstreamRequestID: String?,
        errorCode: String?, errorMessage: String?, packageIDs ids: [String]?, reconciliation: String?
    ) -> PostgresQuery {
        let body = Data(responseBody).base64EncodedString()
        return """
            WITH p AS (
                UPDATE purchases SET state = \(state.rawValue), package_id = \(packageID), response_status = \(responseStatus),
                       response_body = decode(\(body), 'base64'), upstream_request_id = \(upstreamRequestID),
                       error_code = \(errorCode), error_message = \(errorMessage), updated_at = now(),
                       package_ids = \(ids)::text[], reconciliation = coalesce(\(reconciliation)::jsonb, reconciliation)
                WHERE id = \(id) AND state = 'pending'
                RETURNING id, caller, state, package_id, package_ids, error_code
            ), a AS (
                INSERT INTO audit_log (actor, action, target_type, target_id, before, after)
                SELECT p.caller, 'purchase.settle', 'purchase', p.id::text, jsonb_build_object('state', 'pending'),
                       jsonb_build_object('state', p.state, 'packageId', p.package_id, 'packageIds', p.package_ids, 'errorCode', p.error_code)
                FROM p
            )
            SELECT id FROM p
            """
    }

    /// Marks the one create of a purchase as sent, committed before it is sent: the row is never sent again.
    /// - Returns: the database time recorded, or nil when the row is settled or its create was already sent.
    package func markPurchaseAttempted(id: Int64) async throws -> Date? {
        let rows = try await pool.query("""
            UPDATE purchases SET attempted_at = now(), updated_at = now()
            WHERE id = \(id) AND state = 'pending' AND attempted_at IS NULL
            RETURNING attempted_at
            """)
        return try rows.first.map { row throws in try row.decode(Date.self, at: 0) }
    }

    /// Undoes `markPurchaseAttempted` when nothing reached the provider (no connection, throttled, refused before
    /// buying), and gives up the lease: a retry with the same key may send the create.
    package func clearPurchaseAttempt(id: Int64, errorCode: String?, errorMessage: String?, upstreamRequestID: String?) async throws {
        _ = try await pool.query("""
            UPDATE purchases SET attempted_at = NULL, lease_until = now(), error_code = \(errorCode), error_message = \(errorMessage),
                   upstream_request_id = \(upstreamRequestID), updated_at = now()
            WHERE id = \(id) AND state = 'pending'
            """)
    }

    /// Records what a reconciliation of a pending purchase checked, and gives up its lease (`release`) so the next
    /// reconciler pass (or a retry with the same key) checks again.
    package func noteReconciliation(
        id: Int64, reconciliation: String, errorCode: String?, errorMessage: String?, upstreamRequestID: String?, release: Bool
    ) async throws {
        _ = try await pool.query("""
            UPDATE purchases SET reconciliation = \(reconciliation)::jsonb, error_code = \(errorCode), error_message = \(errorMessage),
                   upstream_request_id = coalesce(\(upstreamRequestID), upstream_request_id), updated_at = now(),
                   lease_until = CASE WHEN \(release) THEN now() ELSE lease_until END
            WHERE id = \(id) AND state = 'pending'
            """)
    }

    /// Package ids already claimed by purchases of `account` in `region` other than `excluding`.
    package func claimedPackageIDs(account: String, region: String, excluding: Int64) async throws -> Set<String> {
        let rows = try await pool.query("""
            SELECT DISTINCT unnest(package_ids) FROM purchases
            WHERE account = \(account) AND region = \(region) AND package_ids IS NOT NULL AND id <> \(excluding)
            """, idempotent: true)
        return Set(try rows.map { row throws in try row.decode(String.self, at: 0) })
    }

    /// Appends one entry to a purchase's audit trail.
    package func recordPurchaseAttempt(
        purchaseID: Int64?, account: String, idempotencyKey: String, caller: String, bodyJSON: String, outcome: String, packageID: String?,
        upstreamRequestID: String?, errorCode: String?, errorMessage: String?
    ) async throws {
        _ = try await pool.query("""
            INSERT INTO purchase_attempts (purchase_id, account, idempotency_key, caller, request_body, outcome, package_id, upstream_request_id,
                                           error_code, error_message)
            VALUES (\(purchaseID), \(account), \(idempotencyKey), \(caller), \(bodyJSON)::jsonb, \(outcome), \(packageID), \(upstreamRequestID),
                    \(errorCode), \(errorMessage))
            """)
    }

    /// A purchase's audit trail, oldest first.
    package func purchaseAttempts(purchaseID: Int64) async throws -> [PurchaseAttemptRecord] {
        let rows = try await pool.query("""
            SELECT at, caller, outcome, package_id, upstream_request_id, error_code, error_message
            FROM purchase_attempts WHERE purchase_id = \(purchaseID) ORDER BY at, id
            """, idempotent: true)
        return try rows.map { row throws in
            let (at, caller, outcome, pkg, requestID, code, message) = try row.decode((Date, String, String, String?, String?, String?, String?).self)
            return PurchaseAttemptRecord(
                at: at, caller: caller, outcome: outcome, packageID: pkg, upstreamRequestID: requestID, errorCode: code, errorMessage: message)
        }
    }

    static func decodePurchase(_ row: PostgresRow) throws(PostgresError) -> PurchaseRecord {
        let (id, keyID, caller, account, region, key, canonical, body, token, state) =
            try row.decode((Int64, Int64?, String, String, String, String, String, String, String, String).self)
        let (pkg, status, response, requestID, code, message, checks, checkedAt, created, updated, lease) =
            try (row.decode(String?.self, at: 10), row.decode(Int?.self, at: 11), row.decode(String?.self, at: 12),
                 row.decode(String?.self, at: 13), row.decode(String?.self, at: 14), row.decode(String?.self, at: 15),
                 row.decode(Int.self, at: 16), row.decode(Date?.self, at: 17), row.decode(Date.self, at: 18), row.decode(Date.self, at: 19),
                 row.decode(Date.self, at: 20))
        let (provider, ids, attemptedAt, reconciliation) =
            try (row.decode(String.self, at: 21), row.decode(String?.self, at: 22), row.decode(Date?.self, at: 23), row.decode(String?.self, at: 24))
        var record = PurchaseRecord(
            id: id, apiKeyID: keyID, caller: caller, account: account, region: region, idempotencyKey: key, requestCanonical: canonical,
            requestBody: body, clientToken: token, state: PurchaseRecord.State(rawValue: state) ?? .unknown, packageID: pkg,
            responseStatus: status, responseBody: response.flatMap { Data(base64Encoded: $0, options: .ignoreUnknownCharacters) }.map { Array($0) },
            upstreamRequestID: requestID, errorCode: code, errorMessage: message, checks: checks, lastCheckedAt: checkedAt, createdAt: created,
            updatedAt: updated, leaseUntil: lease)
        record.provider = provider
        record.packageIDs = (ids ?? "").split(separator: " ").map(String.init)
        record.attemptedAt = attemptedAt
        record.reconciliation = reconciliation
        return record
    }
}
