import Foundation
import TPGWCore
import TPGWStore

extension ObservedPackage {
    /// A package of source `bce:prod:bj` unless told otherwise; 10 GiB, active, full-time.
    package static func make(
        _ id: String, used: Int64 = 0, capacity: Int64 = 10 << 30, status: PackageStatus = .active, policy: PackagePolicy = .fullTime,
        source: SourceID = .test, expiresAt: Date = Date(timeIntervalSince1970: 1_800_000_000), observedAt: Date = .t0
    ) -> ObservedPackage {
        let state = PackageState(
            key: PackageKey(provider: source.provider, account: source.account, region: source.region, id: id), policy: policy,
            status: status, capacityBytes: capacity, usedBytes: used, createdAt: Date(timeIntervalSince1970: 1_700_000_000),
            activatedAt: Date(timeIntervalSince1970: 1_700_000_060), expiresAt: expiresAt, observedAt: observedAt)
        let raw = #"{"id":"\#(id)","deductPolicy":"\#(policy.bceName)","status":"\#(status.bceName)","capacity":\#(capacity),"usedCapacity":\#(used)}"#
        return ObservedPackage(state: state, raw: raw)
    }
}

extension SourceID {
    package static let test = SourceID(account: "prod", region: "bj")
}

extension SourceConfig {
    package static func make(_ id: SourceID = .test, endpoint: String = "http://127.0.0.1:1", interval: Int = 300) -> SourceConfig {
        SourceConfig(id: id, endpoint: endpoint, pollIntervalSeconds: interval)
    }
}

extension Date {
    /// 2026-11-22T08:00:00Z: a fixed "now" for store tests.
    package static let t0 = Date(timeIntervalSince1970: 1_795_334_400)
}

extension PostgresStore {
    /// applyPoll with test defaults.
    @discardableResult
    package func poll(_ packages: [ObservedPackage], at observedAt: Date, source: SourceID = .test) async throws -> PollWriteResult {
        try await applyPoll(source: source, startedAt: observedAt.addingTimeInterval(-1), observedAt: observedAt, packages: packages, latency: .milliseconds(84))
    }
}
