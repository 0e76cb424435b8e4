/// When a package may be drawn: all day, or only 00:00-08:00 Beijing time (UTC+8).
package enum PackagePolicy: String, Sendable, Codable, CaseIterable {
    case fullTime
    case offPeak

    /// BCE `deductPolicy` wire name.
    package var bceName: String {
        switch self {
        case .fullTime: "FullTimeDurationPackage"
        case .offPeak: "TimeDurationPackage"
        }
    }

    package init?(bceName: String) {
        switch bceName {
        case "FullTimeDurationPackage": self = .fullTime
        case "TimeDurationPackage": self = .offPeak
        default: return nil
        }
    }
}
