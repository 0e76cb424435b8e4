/// Provider-neutral package status. `released` means no longer listed upstream.
package enum PackageStatus: String, Sendable, Codable, CaseIterable {
    case active
    case usedUp
    case expired
    case released

    /// Maps BCE `status` (`RUNNING`, `USED_UP`, `EXPIRED`).
    package init?(bceName: String) {
        switch bceName {
        case "RUNNING": self = .active
        case "USED_UP": self = .usedUp
        case "EXPIRED": self = .expired
        default: return nil
        }
    }

    package var bceName: String {
        switch self {
        case .active: "RUNNING"
        case .usedUp: "USED_UP"
        case .expired, .released: "EXPIRED"
        }
    }
}
