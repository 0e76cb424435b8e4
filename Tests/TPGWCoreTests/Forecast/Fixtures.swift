import Foundation
@testable import TPGWCore

/// `2026-11-22T08:00:00Z`-style literal to `Date` (tests only; traps on a typo).
func d(_ s: String) -> Date {
    guard let date = RFC3339.parse(s) else { fatalError("bad test date \(s)") }
    return date
}

let GiB: Int64 = 1 << 30
let hour: TimeInterval = 3600
let day: TimeInterval = 86400

extension ForecastFeatures {
    /// Features fed hourly from `deltas` (bytes per hour), the meter at 0 at `start`.
    static func fed(_ deltas: [Double], from start: Date) -> ForecastFeatures {
        var f = ForecastFeatures()
        var used: Int64 = 0
        f.update(observedUsedBytes: 0, at: start)
        for (i, v) in deltas.enumerated() {
            used += Int64(v)
            f.update(observedUsedBytes: used, at: start + Double(i + 1) * hour)
        }
        return f
    }
}

extension PackageState {
    /// An active full-time package in `bce:prod:bj` with a default for every field.
    static func make(
        id: String = "tp-1", account: String = "prod", region: String = "bj", policy: PackagePolicy = .fullTime,
        status: PackageStatus = .active, capacity: Int64 = 100 * GiB, used: Int64 = 0,
        createdAt: Date = d("2026-11-01T00:00:00Z"), activatedAt: Date? = nil, expiresAt: Date = d("2026-12-31T00:00:00Z"),
        observedAt: Date = d("2026-11-22T08:00:00Z")
    ) -> PackageState {
        PackageState(
            key: PackageKey(provider: "bce", account: account, region: region, id: id), policy: policy, status: status,
            capacityBytes: capacity, usedBytes: used, createdAt: createdAt, activatedAt: activatedAt ?? createdAt,
            expiresAt: expiresAt, observedAt: observedAt)
    }
}

extension Snapshot {
    static func make(_ at: Date, used: Int64, capacity: Int64 = 100 * GiB, status: PackageStatus = .active) -> Snapshot {
        Snapshot(observedAt: at, usedBytes: used, capacityBytes: capacity, status: status)
    }
}
