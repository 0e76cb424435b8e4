/// Provider-neutral package status. `released` means no longer listed upstream; `unknown` is a status the
/// provider sent that tpgw does not know (e.g. BCE `FROZEN`): the package is stored, listed and counted, but
/// not treated as drawable, so never forecast and left out of pool simulations.
package enum PackageStatus: String, Sendable, Codable, CaseIterable {
    case active
    case usedUp
    case expired
    case released
    /// Tencent `REFUNDED`: ended early by a refund (its history stays; never forecast).
    case refunded
    /// Tencent `DELETED`: ended early by deletion (its history stays; never forecast).
    case deleted
    case unknown

    /// Maps BCE `status` (`RUNNING`, `USED_UP`, `EXPIRED`); any other name is `.unknown`.
    package init(bceName: String) {
        switch bceName {
        case "RUNNING": self = .active
        case "USED_UP": self = .usedUp
        case "EXPIRED": self = .expired
        default: self = .unknown
        }
    }

    package var bceName: String {
        switch self {
        case .active: "RUNNING"
        case .usedUp: "USED_UP"
        case .expired, .released: "EXPIRED"
        case .unknown: "unknown"
        // Tencent-only states: names BCE never sends, so a BCE listing never maps to them.
        case .refunded: "(tencent REFUNDED)"
        case .deleted: "(tencent DELETED)"
        }
    }
}
