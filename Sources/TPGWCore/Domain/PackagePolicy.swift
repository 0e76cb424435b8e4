/// When a package may be drawn: all day, or only 00:00-08:00 Beijing time (UTC+8).
///
/// `unknown` is a `deductPolicy` the provider sent that tpgw does not know: the package is stored, listed and
/// counted, but never forecast (no exhaustion or waste) and left out of pool simulations, since how it is
/// drawn is not known. It is never a valid purchase policy.
package enum PackagePolicy: String, Sendable, Codable, CaseIterable {
    case fullTime
    case offPeak
    case unknown

    /// BCE `deductPolicy` wire name.
    package var bceName: String {
        switch self {
        case .fullTime: "FullTimeDurationPackage"
        case .offPeak: "TimeDurationPackage"
        case .unknown: "unknown"
        }
    }

    /// Maps BCE `deductPolicy`; any other name is `.unknown`.
    package init(bceName: String) {
        switch bceName {
        case "FullTimeDurationPackage": self = .fullTime
        case "TimeDurationPackage": self = .offPeak
        default: self = .unknown
        }
    }

    /// The policies that may be bought (and sent to BCE as a filter).
    package static let purchasable: [PackagePolicy] = [.fullTime, .offPeak]
}
