import TPGWCore

/// `TrafficPackage.Status`. `REFUNDED` and `DELETED` are packages that ended early; they are kept apart from
/// `EXPIRED` (and from tpgw's `released`, which means "no longer listed"). Anything else is `unknown`.
package enum TencentPackageStatus: Sendable, Equatable, Hashable {
    case available
    case expired
    case exhausted
    case refunded
    case deleted
    case unknown(String)

    package init(wireName: String) {
        switch wireName {
        case "AVAILABLE": self = .available
        case "EXPIRED": self = .expired
        case "EXHAUSTED": self = .exhausted
        case "REFUNDED": self = .refunded
        case "DELETED": self = .deleted
        default: self = .unknown(wireName)
        }
    }

    package var wireName: String {
        switch self {
        case .available: "AVAILABLE"
        case .expired: "EXPIRED"
        case .exhausted: "EXHAUSTED"
        case .refunded: "REFUNDED"
        case .deleted: "DELETED"
        case .unknown(let s): s
        }
    }

    /// tpgw's `PackageStatus` when it has an equivalent; nil for `refunded`, `deleted` and `unknown`.
    package var packageStatus: PackageStatus? {
        switch self {
        case .available: .active
        case .exhausted: .usedUp
        case .expired: .expired
        case .refunded: .refunded
        case .deleted: .deleted
        case .unknown: .unknown
        }
    }

    /// The values the `status` filter accepts (`REFUNDED`/`DELETED` cannot be filtered on).
    package var isFilterable: Bool {
        switch self {
        case .available, .expired, .exhausted: true
        default: false
        }
    }
}
