import Foundation
import TPGWCore

/// What reconciling an ambiguous create checked, shown on the purchase (`reconciliation`) and kept in the ledger.
///
/// A provider without an idempotency token (Tencent) cannot be asked "did this create happen?", and a create
/// sent again could buy twice. So tpgw lists the region and looks for packages of the ordered size and kind
/// created since the attempt (minus a small clock skew) that no other purchase has claimed.
struct PurchaseReconciliation: Codable, Sendable, Equatable {
    /// `pending` (still looking), `succeeded`, `failed` or `unknown`.
    var result: String
    /// Human summary of the decision.
    var reason: String
    /// What was looked for: `2 x 10G fullTime`.
    var lookedFor: String
    /// Packages created at or after this instant count (the attempt minus the allowed clock skew), RFC 3339.
    var createdSince: String
    /// How many complete listings of the region were made.
    var listings: Int
    var lastListedAt: String?
    /// Matching packages no other purchase claims (the ones this purchase bought when `succeeded`).
    var found: [String]
    /// Matching packages another purchase already claims (not counted).
    var claimedElsewhere: [String]
    /// The last listing's failure, when it failed.
    var lastError: String?

    var json: String { String(decoding: APIJSON.encode(self), as: UTF8.self) }

    static func parse(_ text: String?) -> PurchaseReconciliation? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(PurchaseReconciliation.self, from: Data(text.utf8))
    }

    /// What a check of the region decides. Pure.
    enum Verdict: Equatable, Sendable {
        /// Exactly the ordered number of packages found: these are the purchase's.
        case bought([String])
        /// Nothing found once the settle time has passed: the create did not buy.
        case notBought
        /// Fewer or more candidates than ordered once the settle time has passed: a human must look.
        case unclear(String)
        /// Not yet decidable: look again later.
        case wait
    }

    /// Decides from the candidates found at `now` for an order of `count` attempted at `attemptedAt`.
    /// - Parameter settleAfter: how long after the attempt a listing without (all) the packages counts as final.
    static func verdict(found: [String], count: Int, attemptedAt: Date, now: Date, settleAfter: TimeInterval) -> Verdict {
        if found.count == count { return .bought(found.sorted()) }
        let settled = now.timeIntervalSince(attemptedAt) >= settleAfter
        if found.count > count {
            return .unclear("\(found.count) matching packages were created since the attempt for an order of \(count): "
                + "which are this purchase's cannot be told")
        }
        guard settled else { return .wait }
        if found.isEmpty { return .notBought }
        return .unclear("only \(found.count) of \(count) packages were found \(Int(settleAfter)) s after the attempt")
    }
}
