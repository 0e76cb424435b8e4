import Foundation
import TPGWCore
import TPGWStore

/// One cloud's traffic packages, as the poller, purchases, quotes and capacity validation see them. Baidu and
/// Tencent are two implementations (`BCEProvider`, `TencentProvider`); nothing else in the gateway names a
/// provider's client or wire format.
///
/// The pure parts (units, the sizes sold and their validity, how many one create buys, whether there is a price
/// API or an idempotent create, the off-peak window and draw order) are the `profile`, defined by each provider
/// target. Listing one account x region with paging is `read(_:)` (the poller's `SourceReader`).
protocol CloudProvider: SourceReader {
    var profile: ProviderProfile { get }

    /// Sends one create for `order`. `clientToken` is used only when `profile.idempotentCreate` (Baidu); a
    /// provider without a token sends the create exactly once, never retried, and says so in the error.
    func buy(_ order: PurchaseRequest, clientToken: String) async throws(ProviderError) -> ProviderPurchase

    /// The price of `order`, or nil when the provider has no price API (`profile.hasPriceAPI` is false).
    func quote(_ order: PurchaseRequest) async throws(ProviderError) -> Decimal?

    /// Every package of `account` in `region` right now (all pages, settled), for reconciling an ambiguous create.
    func list(account: String, region: String) async throws(ProviderError) -> [ObservedPackage]
}

/// A create the provider confirmed: the packages bought, as far as they could be read back.
struct ProviderPurchase: Sendable {
    /// One per package bought, in the provider's order; a package not yet readable has a state built from the order.
    var packages: [ObservedPackage]
    var requestID: String?
}

/// Why a provider call failed, in the terms the purchase ledger needs.
struct ProviderError: Error, Sendable {
    enum Outcome: String, Sendable {
        /// A definite no: nothing was bought (a 4xx, a refused purchase). The purchase is `failed`.
        case rejected
        /// Nothing reached the provider, or it refused before buying in a way worth retrying (no connection,
        /// throttled): nothing was bought, and the create may be sent again.
        case notSent
        /// No definite answer (timeout, dropped connection, 5xx, internal error): it may have bought.
        case undecided
    }

    var outcome: Outcome
    /// The user-safe error for the API.
    var appError: AppError
    /// Stable code for the ledger (`InternalError`, `timeout`, `connection`...).
    var code: String
    var message: String
    var requestID: String?

    init(outcome: Outcome, appError: AppError, code: String, message: String, requestID: String? = nil) {
        self.outcome = outcome
        self.appError = appError
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    /// An error outside any provider (account or region not configured here).
    static func notConfigured(_ message: String) -> ProviderError {
        ProviderError(outcome: .notSent, appError: AppError(.unavailable, message), code: "notConfigured", message: message)
    }
}
