import Foundation

/// The ledger row of one (account, Idempotency-Key) purchase.
package struct PurchaseRecord: Sendable, Equatable {
    package enum State: String, Sendable { case pending, succeeded, failed }

    package var account: String
    package var idempotencyKey: String
    package var requestCanonical: String
    package var clientToken: String
    package var state: State
    package var region: String
    package var packageID: String?
    package var responseStatus: Int?
    package var responseBody: [UInt8]?
    package var errorCode: String?
    package var errorMessage: String?
}
