import TPGWCore

/// `DeductType`: `FULL_TIME` offsets traffic at any hour, `IDLE_TIME` only in Tencent's off-peak window (which the
/// API does not state). Anything else is `unknown`.
package enum TencentDeductType: Sendable, Equatable, Hashable {
    case fullTime
    case idleTime
    case unknown(String)

    package init(wireName: String) {
        switch wireName {
        case "FULL_TIME": self = .fullTime
        case "IDLE_TIME": self = .idleTime
        default: self = .unknown(wireName)
        }
    }

    package var wireName: String {
        switch self {
        case .fullTime: "FULL_TIME"
        case .idleTime: "IDLE_TIME"
        case .unknown(let s): s
        }
    }

    /// tpgw's policy: `fullTime` or `offPeak` (whose hours, for Tencent, come from configuration); nil when unknown.
    package var policy: PackagePolicy? {
        switch self {
        case .fullTime: .fullTime
        case .idleTime: .offPeak
        case .unknown: nil
        }
    }
}
