import Foundation
import TPGWCore

extension StatusPageModel {
    /// Rows of the runway table at most; the rest is counted in `omittedPackages`.
    package static let defaultMaxRows = 300

    /// The status page of a view. Pure: `now` is passed in.
    ///
    /// Regions and totals cover every active package; the table shows the `maxRows` most urgent ones.
    /// - Parameters:
    ///   - usage: the pools' recent usage (nil before the first load: flat sparklines).
    ///   - alerts: firing alerts, from the alert engine.
    package static func build(
        view: GatewayView, usage: PoolUsage?, alerts: [Alert], refreshSeconds: Int, version: String, now: Date,
        maxRows: Int = defaultMaxRows
    ) -> StatusPageModel {
        let (packages, forecasts) = view.flattened()
        var regions: [String: Region] = [:]
        // Runway keys of the active packages: exhaustion (none last), then expiry; the view is in key order, so
        // the index breaks ties as `StatusPageRenderer.runwayOrder` does. Rows are made for the shown ones only.
        var order: [(exhausts: Double, expires: Double, index: Int)] = []
        order.reserveCapacity(packages.count)
        var burn = 0.0
        var waste: Int64 = 0
        for (index, state) in packages.enumerated() where state.status == .active {
            let forecast = forecasts[index]
            regions[state.key.region, default: Region(name: state.key.region, capacityBytes: 0, remainingBytes: 0)].capacityBytes
                .saturatingAdd(state.capacityBytes)
            regions[state.key.region]!.remainingBytes.saturatingAdd(state.remainingBytes)
            burn += forecast.burnBytesPerHour
            waste.saturatingAdd(forecast.unusedAtExpiryBytes)
            order.append((forecast.exhaustsAt?.timeIntervalSince1970 ?? .infinity, state.expiresAt.timeIntervalSince1970, index))
        }
        let total = order.count
        if order.count > maxRows {
            order.sort { a, b in
                a.exhausts != b.exhausts ? a.exhausts < b.exhausts : a.expires != b.expires ? a.expires < b.expires : a.index < b.index
            }
            order.removeSubrange(maxRows...)
        }
        let rows = order.map { entry in
            let state = packages[entry.index]
            let forecast = forecasts[entry.index]
            return Package(
                key: state.key, policy: state.policy, status: state.status, capacityBytes: state.capacityBytes,
                usedBytes: state.usedBytes, remainingBytes: state.remainingBytes, burnBytesPerHour: forecast.burnBytesPerHour,
                exhaustsAt: forecast.exhaustsAt, expiresAt: state.expiresAt, unusedAtExpiryBytes: forecast.unusedAtExpiryBytes,
                exhaustsAtP10: forecast.exhaustsAtP10, exhaustsAtP90: forecast.exhaustsAtP90)
        }
        // A source never read successfully has an unknown pool (the view says so), never "empty".
        let pools = view.pools.map { pool in
            Pool(
                account: pool.source.account, region: pool.source.region, remainingBytes: pool.remainingBytes,
                emptyAt: pool.emptyAt, usage: usage?.points(for: pool.source) ?? [], unknown: pool.unknown,
                assumes: HumanFormat.assumptions(pool.rules),
                emptyAtP10: pool.emptyAtP10, emptyAtP90: pool.emptyAtP90)
        }
        let sources = view.sources.map { s in
            Source(
                account: s.id.account, region: s.id.region, status: Source.Status(s.state), lastSuccessAt: s.lastSuccessAt,
                lastError: s.lastErrorCode != nil ? [s.lastErrorCode, s.lastErrorMessage].compactMap { $0 }.joined(separator: ": ") : nil,
                latencyMs: s.latencyMs)
        }
        return StatusPageModel(
            regions: regions.values.sorted { $0.name < $1.name }, packages: rows, pools: pools, alerts: alerts, sources: sources,
            refreshSeconds: refreshSeconds, generatedAt: view.generatedAt, version: version, omittedPackages: total - rows.count,
            totalBurnBytesPerHour: burn, totalUnusedAtExpiryBytes: waste,
            usageWindowSeconds: usage?.windowSeconds ?? Int(PoolUsage.maxWindow))
    }
}

extension StatusPageModel.Source.Status {
    /// The page's status for a source's API state.
    init(_ state: SourceStatus.State) {
        switch state {
        case .ok: self = .ok
        case .failing: self = .failing
        case .stale: self = .stale
        case .open: self = .open
        case .pending: self = .pending
        }
    }
}
