import Foundation
import TPGWCore

extension PostgresStore {
    /// Claims an idempotency key for a purchase, or returns the row another request already made.
    /// - Returns: `(record, created)`; `created` is false when the key was used before.
    package func claimPurchase(
        account: String, idempotencyKey: String, canonical: String, bodyJSON: String, clientToken: String, caller: String, region: String
    ) async throws -> (PurchaseRecord, Bool) {
        let inserted = try await pool.query("""
            INSERT INTO purchases (account, idempotency_key, request_canonical, request_body, client_token, caller, state, region)
            VALUES (\(account), \(idempotencyKey), \(canonical), \(bodyJSON)::jsonb, \(clientToken), \(caller), 'pending', \(region))
            ON CONFLICT (account, idempotency_key) DO NOTHING
            RETURNING account
            """)
        guard let record = try await purchase(account: account, idempotencyKey: idempotencyKey) else {
            throw AppError(.internal, "purchase ledger row vanished")
        }
        return (record, !inserted.isEmpty)
    }

    /// The ledger row for a key.
    package func purchase(account: String, idempotencyKey: String) async throws -> PurchaseRecord? {
        let rows = try await pool.query("""
            SELECT account, idempotency_key, request_canonical, client_token, state, region, package_id, response_status,
                   encode(response_body, 'base64'), error_code, error_message
            FROM purchases WHERE account = \(account) AND idempotency_key = \(idempotencyKey)
            """, idempotent: true)
        guard let row = rows.first else { return nil }
        let (a, k, canonical, token, state, region, pkg, status, body, code, message) =
            try row.decode((String, String, String, String, String, String, String?, Int?, String?, String?, String?).self)
        return PurchaseRecord(
            account: a, idempotencyKey: k, requestCanonical: canonical, clientToken: token, state: PurchaseRecord.State(rawValue: state) ?? .pending,
            region: region, packageID: pkg, responseStatus: status,
            responseBody: body.flatMap { Data(base64Encoded: $0, options: .ignoreUnknownCharacters) }.map { Array($0) },
            errorCode: code, errorMessage: message)
    }

    /// Marks a purchase finished (succeeded or permanently failed) with the response to replay.
    package func finishPurchase(
        account: String, idempotencyKey: String, state: PurchaseRecord.State, packageID: String?, responseStatus: Int,
        responseBody: [UInt8], upstreamRequestID: String?, errorCode: String?, errorMessage: String?
    ) async throws {
        let body = Data(responseBody).base64EncodedString()
        _ = try await pool.query("""
            UPDATE purchases SET state = \(state.rawValue), package_id = \(packageID), response_status = \(responseStatus),
                   response_body = decode(\(body), 'base64'), upstream_request_id = \(upstreamRequestID),
                   error_code = \(errorCode), error_message = \(errorMessage), updated_at = now()
            WHERE account = \(account) AND idempotency_key = \(idempotencyKey)
            """)
    }

    /// Appends one attempt to the audit trail.
    package func recordPurchaseAttempt(
        account: String, idempotencyKey: String, caller: String, bodyJSON: String, outcome: String, packageID: String?,
        upstreamRequestID: String?, errorCode: String?, errorMessage: String?
    ) async throws {
        _ = try await pool.query("""
            INSERT INTO purchase_attempts (account, idempotency_key, caller, request_body, outcome, package_id, upstream_request_id, error_code, error_message)
            VALUES (\(account), \(idempotencyKey), \(caller), \(bodyJSON)::jsonb, \(outcome), \(packageID), \(upstreamRequestID), \(errorCode), \(errorMessage))
            """)
    }
}
