import Foundation

/// The ledger row of one (API key, Idempotency-Key) purchase.
package struct PurchaseRecord: Sendable, Equatable {
    /// `pending` until upstream answers; `unknown` when the reconciler gave up without a definite answer.
    package enum State: String, Sendable, CaseIterable { case pending, succeeded, failed, unknown }

    package var id: Int64
    /// The API key that asked; nil only for rows from before keys scoped purchases that could not be attributed.
    package var apiKeyID: Int64?
    /// The API key's name when it asked.
    package var caller: String
    package var account: String
    package var region: String
    package var idempotencyKey: String
    package var requestCanonical: String
    /// The normalised request body (JSON text).
    package var requestBody: String
    package var clientToken: String
    package var state: State
    package var packageID: String?
    package var responseStatus: Int?
    package var responseBody: [UInt8]?
    package var upstreamRequestID: String?
    package var errorCode: String?
    package var errorMessage: String?
    /// How many times the reconciler has checked this row upstream.
    package var checks: Int
    package var lastCheckedAt: Date?
    package var createdAt: Date
    package var updatedAt: Date
    /// Until when the request or reconciler that last took this row has it to itself.
    package var leaseUntil: Date
    /// The account's cloud (`bce`, `tencent`).
    package var provider: String = "bce"
    /// Every package bought (one create may buy several); empty until it succeeded.
    package var packageIDs: [String] = []
    /// When the one create was sent (providers without an idempotency token); nil when it never was.
    package var attemptedAt: Date?
    /// What reconciling an ambiguous create checked (JSON object text), nil when it never had to.
    package var reconciliation: String?
}

/// One entry of a purchase's audit trail: a request, a replay, a conflict or a reconciler check.
package struct PurchaseAttemptRecord: Sendable, Equatable {
    package var at: Date
    package var caller: String
    package var outcome: String
    package var packageID: String?
    package var upstreamRequestID: String?
    package var errorCode: String?
    package var errorMessage: String?
}
