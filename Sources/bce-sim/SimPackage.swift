import Foundation
import TPGWCore

/// One simulated package. Usage is settled up to `settledAt` (simulated time).
struct SimPackage: Sendable, Equatable {
    var id: String
    var policy: PackagePolicy
    var packageType: String
    var months: Int
    var capacityName: String
    var capacity: Int64
    var used: Double
    /// Bytes per hour while the package may be drawn.
    var ratePerHour: Double
    var createTime: Date
    var activeTime: Date
    var expireTime: Date
    /// `json(at:)` as of the last settle; cleared whenever simulated time moves.
    var cachedJSON: String? = nil

    /// BCE status at simulated time `t`.
    func status(at t: Date) -> PackageStatus {
        if t >= expireTime { return .expired }
        if Int64(used) >= capacity { return .usedUp }
        return .active
    }

    /// Adds usage for the simulated interval `[from, to)`.
    mutating func consume(from: Date, to: Date) {
        let start = max(from, activeTime)
        let end = min(to, expireTime)
        guard end > start, Int64(used) < capacity else { return }
        let seconds = policy == .offPeak ? SimClock.offPeakSeconds(from: start, to: end) : end.timeIntervalSince(start)
        used = min(Double(capacity), used + ratePerHour * seconds / 3600)
    }

    /// The package as BCE's JSON object.
    func json(at t: Date, capacityAsStrings: Bool) -> String {
        let cap = capacityAsStrings ? "\"\(capacity)\"" : "\(capacity)"
        let usedBytes = min(capacity, Int64(used))
        let usedText = capacityAsStrings ? "\"\(usedBytes)\"" : "\(usedBytes)"
        return "{\"id\":\"\(id)\",\"deductPolicy\":\"\(policy.bceName)\",\"packageType\":\(JSONString.quote(packageType)),"
            + "\"status\":\"\(status(at: t).bceName)\",\"capacity\":\(cap),\"usedCapacity\":\(usedText),"
            + "\"createTime\":\"\(RFC3339.format(createTime))\",\"activeTime\":\"\(RFC3339.format(activeTime))\","
            + "\"expireTime\":\"\(RFC3339.format(expireTime))\"}"
    }
}
