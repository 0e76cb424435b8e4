import Foundation
import TPGWCore
@testable import TPGWGateway

/// Small views for the ops adapters' tests.
enum OpsFixtures {
    /// 2026-11-27T08:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_795_766_400)

    static func package(
        _ id: String, region: String = "bj", account: String = "prod", used: Int64, capacity: Int64 = 100 << 30,
        status: PackageStatus = .active, expiresInDays: Double = 30, observedAt: Date = now
    ) -> PackageState {
        PackageState(
            key: PackageKey(provider: "bce", account: account, region: region, id: id), policy: .fullTime, status: status,
            capacityBytes: capacity, usedBytes: used, createdAt: now.addingTimeInterval(-40 * 86_400),
            activatedAt: now.addingTimeInterval(-40 * 86_400), expiresAt: now.addingTimeInterval(expiresInDays * 86_400),
            observedAt: observedAt)
    }

    /// A package burning `gibPerHour` over the last day: hourly snapshots (what the forecast features learn from).
    static func history(_ p: PackageState, gibPerHour: Int64) -> [Snapshot] {
        (0...24).map { h in
            Snapshot(observedAt: now.addingTimeInterval(Double(h - 24) * 3600), usedBytes: max(0, p.usedBytes - Int64(24 - h) * (gibPerHour << 30)),
                     capacityBytes: p.capacityBytes, status: .active)
        }
    }

    static func source(_ region: String, account: String = "prod", state: SourceStatus.State = .ok, failures: Int = 0,
                       lastSuccess: Date? = now, error: (String, String)? = nil) -> SourceStatus {
        SourceStatus(
            id: SourceID(provider: "bce", account: account, region: region), endpoint: "http://127.0.0.1:1", state: state,
            lastSuccessAt: lastSuccess, lastAttemptAt: state == .pending ? nil : now, lastErrorCode: error?.0, lastErrorMessage: error?.1,
            consecutiveFailures: failures, latencyMs: state == .pending ? nil : 84)
    }

    static func view(packages: [PackageState], burning: [String: Int64] = [:], sources: [SourceStatus]) -> GatewayView {
        var history: [PackageKey: [Snapshot]] = [:]
        for p in packages { if let rate = burning[p.key.id] { history[p.key] = Self.history(p, gibPerHour: rate) } }
        return GatewayView.build(.init(packages: packages, history: history, sources: sources), now: now)
    }
}
