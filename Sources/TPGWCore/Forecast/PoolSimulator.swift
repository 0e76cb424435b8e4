import Foundation

/// Simulates the cloud's documented draw order over one source's pool to find which package runs out next
/// and when the pool stops covering traffic. Pure: `now` is passed in.
///
/// Draw order (`rules`, BCE's by default): inside the off-peak window (00:00-08:00 UTC+8 for BCE) off-peak
/// packages are drawn first, then full-time ones; outside it only full-time packages are drawn. Within a kind,
/// `rules.drawOrder`: BCE documents the earliest expiry first, on a tie the earliest purchase; Tencent documents
/// none, so its accounts say which they assume (then the key, so the order is total).
///
/// The simulation is event-driven, not hour-by-hour: it jumps from one event to the next, where an event is
/// the end of a part of the day (window opens or closes), the package being drawn running empty, or a queue
/// head expiring. Each package is consumed or dropped once and each day has two parts, so the cost is
/// O(n log n + n + days of horizon) per pool.
package enum PoolSimulator {
    /// Default horizon: a little more than the longest package validity (12 months).
    package static let defaultHorizon: TimeInterval = 400 * 86400

    /// Simulates the active packages of `source` drawing `demand` from `now` on.
    /// - Parameters:
    ///   - packages: the pool's packages; only active ones with a known policy and bytes left that have not expired
    ///     take part (others are ignored, so the caller may pass everything it knows about the source).
    ///   - demand: traffic per hour in and outside the off-peak window (see ``PoolDemand/estimate(packages:forecasts:)``).
    ///   - horizon: how far to look; events beyond it are reported as nil.
    ///   - rules: the off-peak window and the draw order within a kind the cloud is assumed to follow.
    package static func simulate(
        source: SourceID, packages: [PackageState], demand: PoolDemand, now: Date,
        horizon: TimeInterval = defaultHorizon, rules: PoolRules = .bce
    ) -> PoolForecast {
        var offPeakEntries: [Entry] = []
        var fullTimeEntries: [Entry] = []
        var keys: [PackageKey] = []
        var remainingBytes: Int64 = 0
        for p in packages where p.status == .active && p.policy != .unknown && p.remainingBytes > 0 && p.expiresAt > now {
            let e = Entry(index: keys.count, expiresAt: p.expiresAt, createdAt: p.createdAt, remaining: Double(p.remainingBytes))
            keys.append(p.key)
            remainingBytes.saturatingAdd(p.remainingBytes)
            if p.policy == .offPeak { offPeakEntries.append(e) } else { fullTimeEntries.append(e) }
        }
        let activeCount = keys.count
        // Entries are plain values (no strings), so sorting moves no reference counts; keys only break ties.
        let drawsBefore: (Entry, Entry) -> Bool
        switch rules.drawOrder {
        case .earliestDeadlineFirst:
            drawsBefore = { a, b in
                if a.expiresAt != b.expiresAt { return a.expiresAt < b.expiresAt }
                if a.createdAt != b.createdAt { return a.createdAt < b.createdAt }
                return Entry.keyOrder(keys[a.index], keys[b.index])
            }
        case .earliestPurchaseFirst, .latestPurchaseFirst:
            let oldestFirst = rules.drawOrder == .earliestPurchaseFirst
            drawsBefore = { a, b in
                if a.createdAt != b.createdAt { return oldestFirst ? a.createdAt < b.createdAt : a.createdAt > b.createdAt }
                if a.expiresAt != b.expiresAt { return a.expiresAt < b.expiresAt }
                return Entry.keyOrder(keys[a.index], keys[b.index])
            }
        }
        var queues = [Queue(offPeakEntries.sorted(by: drawsBefore), keys: keys), Queue(fullTimeEntries.sorted(by: drawsBefore), keys: keys)]
        let offPeak = 0
        let fullTime = 1
        let end = now.addingTimeInterval(horizon)
        var t = now
        var emptyAt: Date?
        var nextExhaustion: PackageTime?

        while t < end {
            queues[offPeak].dropExpired(at: t)
            queues[fullTime].dropExpired(at: t)
            if queues[offPeak].isEmpty && queues[fullTime].isEmpty {
                // The pool is empty once its last package is gone (or now, if it started empty).
                let gone = [queues[offPeak].lastGone, queues[fullTime].lastGone].compactMap { $0 }.max() ?? now
                if emptyAt == nil { emptyAt = gone }
                break
            }
            let segment = rules.offPeak.segment(at: t)
            let rate = segment.inWindow ? demand.windowBytesPerHour : demand.dayBytesPerHour
            var stop = min(segment.end, end)
            if let expiry = queues[offPeak].headExpiry { stop = min(stop, expiry) }
            if let expiry = queues[fullTime].headExpiry { stop = min(stop, expiry) }
            let drawing: Int? =
                segment.inWindow
                ? (!queues[offPeak].isEmpty ? offPeak : (!queues[fullTime].isEmpty ? fullTime : nil))
                : (!queues[fullTime].isEmpty ? fullTime : nil)
            guard rate > 0 else {
                t = stop
                continue
            }
            guard let q = drawing else {
                if emptyAt == nil { emptyAt = t }  // demand with nothing to serve it: pay-as-you-go
                t = stop
                continue
            }
            let runOut = t.addingTimeInterval(queues[q].headRemaining / rate * 3600)
            if runOut <= stop {
                queues[q].exhaustHead(at: runOut)
                if nextExhaustion == nil, let key = queues[q].lastExhaustedKey {
                    nextExhaustion = .init(key: key, at: runOut)
                }
                t = runOut
            } else {
                queues[q].draw(rate * stop.timeIntervalSince(t) / 3600)
                t = stop
            }
        }
        // Each queue records outcomes in draw order, so concatenation is the pool's draw order.
        let outcomes = queues[offPeak].outcomes + queues[offPeak].leftovers + queues[fullTime].outcomes + queues[fullTime].leftovers
        return PoolForecast(
            source: source,
            remainingBytes: remainingBytes,
            activePackages: activeCount,
            burnBytesPerHour: demand.averageBytesPerHour(window: rules.offPeak),
            demand: demand,
            nextExhaustion: nextExhaustion,
            emptyAt: emptyAt,
            packages: outcomes,
            rules: rules)
    }

    /// The same simulation under the median `demand` and under `demand` scaled by exp(z x `sigma`) for the P10 (z =
    /// +1.28: more traffic, empty sooner) and P90 empty instants and the rules' P1 and P5 (``RunwayTail``; P0.5 and P2.5
    /// interpolated on them).
    /// - Parameter sigma: log-scale spread of the pool's demand over the runway (from its forecast features,
    ///   ``DemandCurve/sigma(units:effectiveHours:meanAge:)``); 0 gives the median for every quantile, simulated once.
    package static func simulateQuantiles(
        source: SourceID, packages: [PackageState], demand: PoolDemand, sigma: Double, now: Date,
        horizon: TimeInterval = defaultHorizon, rules: PoolRules = .bce
    ) -> PoolForecast {
        var median = simulate(source: source, packages: packages, demand: demand, now: now, horizon: horizon, rules: rules)
        let s = sigma.isFinite ? min(max(sigma, 0), 1.5) : 0
        func emptyAt(z: Double) -> Date? {
            simulate(source: source, packages: packages, demand: demand.scaled(by: exp(z * s)), now: now, horizon: horizon, rules: rules).emptyAt
        }
        median.emptyAtP10 = s > 0 ? emptyAt(z: NormalQuantile.z90) : median.emptyAt
        median.emptyAtP90 = s > 0 ? emptyAt(z: -NormalQuantile.z90) : median.emptyAt
        // The rules' early quantiles: P5 (the default rule's hold, and the fire of 0.95) and P1 (the fire of 0.99) are
        // simulated, P2.5 and P0.5 interpolated on them (each simulation of a large pool costs ~1.7 ms; four would
        // add 30 % to a source's rebuild). Interpolating them from P10 and P50 missed an off-peak pool that may run
        // dry tonight rather than tomorrow night (Forecast accuracy run 8).
        if s > 0 {
            let p01 = emptyAt(z: -RunwayTail.z[1]), p05 = emptyAt(z: -RunwayTail.z[3])
            let knots: [(z: Double, at: Date?)] = [(RunwayTail.z[1], p01), (RunwayTail.z[3], p05), (-NormalQuantile.z90, median.emptyAtP10)]
            median.tail = RunwayTail(
                p005: RunwayQuantiles.at(z: RunwayTail.z[0], knots: knots, now: now), p01: p01,
                p025: RunwayQuantiles.at(z: RunwayTail.z[2], knots: knots, now: now), p05: p05)
        } else {
            median.tail = RunwayTail(p005: median.emptyAt, p01: median.emptyAt, p025: median.emptyAt, p05: median.emptyAt)
        }
        return median
    }

    /// The spread of a pool's demand: its packages' ``PackageForecast/demandSigma`` weighted by their burn (their
    /// traffic is the pool's, measured piece by piece, so their errors move together rather than cancel); 0
    /// without burn.
    package static func demandSigma(alignedForecasts forecasts: [PackageForecast]) -> Double {
        var weighted = 0.0
        var total = 0.0
        for f in forecasts where f.burnBytesPerHour > 0 && f.burnBytesPerHour.isFinite {
            weighted += f.burnBytesPerHour * f.demandSigma
            total += f.burnBytesPerHour
        }
        return total > 0 ? weighted / total : 0
    }

    /// The few fields of a package the simulation needs; `index` points into the keys array.
    private struct Entry {
        let index: Int
        let expiresAt: Date
        let createdAt: Date
        var remaining: Double

        /// The last tie-break of the draw order, so it is total.
        static func keyOrder(_ a: PackageKey, _ b: PackageKey) -> Bool {
            // Field by field: `PackageKey.<` builds description strings, too slow for large pools.
            if a.id != b.id { return a.id < b.id }
            if a.account != b.account { return a.account < b.account }
            if a.region != b.region { return a.region < b.region }
            return a.provider < b.provider
        }
    }

    /// One kind's packages in draw order, with the bytes left in each; `head` is the one drawn now.
    private struct Queue {
        var entries: [Entry]
        let keys: [PackageKey]
        var head = 0
        var outcomes: [PoolForecast.PackageOutcome] = []
        var lastGone: Date?
        var lastExhaustedKey: PackageKey?

        init(_ entries: [Entry], keys: [PackageKey]) {
            self.entries = entries
            self.keys = keys
        }

        var isEmpty: Bool { head >= entries.count }
        var headExpiry: Date? { isEmpty ? nil : entries[head].expiresAt }
        var headRemaining: Double { entries[head].remaining }

        mutating func dropExpired(at t: Date) {
            while !isEmpty, entries[head].expiresAt <= t {
                let e = entries[head]
                outcomes.append(.init(key: keys[e.index], exhaustsAt: nil, expiresAt: e.expiresAt, unusedAtExpiryBytes: Int64(saturating: e.remaining.rounded())))
                // Max: with a purchase draw order, a package behind the head may have expired earlier than the last one gone.
                lastGone = max(lastGone ?? e.expiresAt, e.expiresAt)
                head += 1
            }
        }

        mutating func exhaustHead(at t: Date) {
            let e = entries[head]
            outcomes.append(.init(key: keys[e.index], exhaustsAt: t, expiresAt: e.expiresAt, unusedAtExpiryBytes: 0))
            entries[head].remaining = 0
            lastGone = t
            lastExhaustedKey = keys[e.index]
            head += 1
        }

        mutating func draw(_ bytes: Double) {
            entries[head].remaining = max(0, entries[head].remaining - bytes)
        }

        /// Packages still alive at the horizon, with what they have left.
        var leftovers: [PoolForecast.PackageOutcome] {
            entries[head...].map {
                .init(key: keys[$0.index], exhaustsAt: nil, expiresAt: $0.expiresAt, unusedAtExpiryBytes: Int64(saturating: $0.remaining.rounded()))
            }
        }
    }
}
