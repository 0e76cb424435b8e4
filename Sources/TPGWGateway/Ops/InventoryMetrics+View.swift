import Foundation
import TPGWCore

extension InventoryMetrics {
    /// How long a released package (no longer listed upstream) keeps its series, so dashboards see it go.
    static let releasedRetention: TimeInterval = 86_400

    /// The per-package, per-pool and per-source gauges of a view. Pure: `now` is passed in.
    ///
    /// Released packages drop out a day after they vanished upstream; a source is up when it has
    /// succeeded and its last attempt did not fail.
    package init(view: GatewayView, now: Date) {
        var packages: [Package] = []
        packages.reserveCapacity(view.packageCount)
        for segment in view.segments {
            for (index, state) in segment.packages.enumerated() {
                if state.status == .released && now.timeIntervalSince(state.observedAt) > Self.releasedRetention { continue }
                packages.append(Package(
                    key: state.key, policy: state.policy, status: state.status, capacityBytes: state.capacityBytes,
                    usedBytes: state.usedBytes, expiresAt: state.expiresAt,
                    exhaustsAt: state.status == .active ? segment.forecasts[index].exhaustsAt : nil,
                    exhaustsAtP10: state.status == .active ? segment.forecasts[index].exhaustsAtP10 : nil))
            }
        }
        let pools = view.pools.map {
            Pool(source: $0.source, remainingBytes: $0.remainingBytes, activePackages: $0.activePackages, emptyAt: $0.emptyAt, emptyAtP10: $0.emptyAtP10)
        }
        let sources = view.sources.map { s in
            Source(
                source: s.id, up: s.up, lastSuccessAt: s.lastSuccessAt,
                consecutiveFailures: s.consecutiveFailures, lastPollDuration: s.latencyMs.map { .milliseconds($0) })
        }
        self.init(packages: packages, pools: pools, sources: sources)
    }
}
