/// What a pool simulation assumes about how its cloud draws packages: the off-peak window and the order.
/// Per account: the provider's documented default, or the account's configuration.
package struct PoolRules: Sendable, Equatable, Hashable {
    package var offPeak: OffPeakWindow
    package var drawOrder: DrawOrder

    package init(offPeak: OffPeakWindow = .bce, drawOrder: DrawOrder = .earliestDeadlineFirst) {
        self.offPeak = offPeak
        self.drawOrder = drawOrder
    }

    /// Baidu's documented rules (00:00-08:00 UTC+8, earliest expiry first).
    package static let bce = PoolRules()
}
