/// The order in which a pool simulation assumes the cloud draws packages of the same kind (off-peak packages
/// are always drawn before full-time ones inside the off-peak window).
///
/// Baidu documents earliest expiry first (a tie: the one bought first). Tencent documents no order, so it is
/// configurable per account and every pool says which one it assumed.
package enum DrawOrder: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// The package that expires first, then the one bought first.
    case earliestDeadlineFirst
    /// The package bought first (oldest), then the one that expires first.
    case earliestPurchaseFirst
    /// The package bought last (newest), then the one that expires first.
    case latestPurchaseFirst
}
