import Foundation

/// A create that Tencent confirmed.
package struct TencentPurchase: Sendable, Equatable {
    package var order: TencentPurchaseOrder
    /// The new package ids (`TrafficPackageSet`).
    package var packageIDs: [String]
    package var requestID: String?
    /// When the one request was sent.
    package var attemptedAt: Date

    package init(order: TencentPurchaseOrder, packageIDs: [String], requestID: String?, attemptedAt: Date) {
        self.order = order
        self.packageIDs = packageIDs
        self.requestID = requestID
        self.attemptedAt = attemptedAt
    }
}
