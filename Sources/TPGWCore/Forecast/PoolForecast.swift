import Foundation

/// What the draw-order simulation says about one source's pool of active packages.
package struct PoolForecast: Sendable, Equatable, Codable {
    /// One package's fate in the simulation.
    package struct PackageOutcome: Sendable, Equatable, Codable {
        package var key: PackageKey
        /// When the simulation drew it empty; nil when it expires first or outlives the horizon.
        package var exhaustsAt: Date?
        package var expiresAt: Date
        /// Bytes left when it expires (or at the horizon); 0 when drawn empty.
        package var unusedAtExpiryBytes: Int64

        package init(key: PackageKey, exhaustsAt: Date?, expiresAt: Date, unusedAtExpiryBytes: Int64) {
            self.key = key
            self.exhaustsAt = exhaustsAt
            self.expiresAt = expiresAt
            self.unusedAtExpiryBytes = unusedAtExpiryBytes
        }

        enum CodingKeys: String, CodingKey { case key, exhaustsAt, expiresAt, unusedAtExpiryBytes }

        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            key = try c.decode(PackageKey.self, forKey: .key)
            exhaustsAt = try c.decodeRFC3339IfPresent(forKey: .exhaustsAt)
            expiresAt = try c.decodeRFC3339(forKey: .expiresAt)
            unusedAtExpiryBytes = try c.decode(Int64.self, forKey: .unusedAtExpiryBytes)
        }

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(key, forKey: .key)
            try c.encodeRFC3339(exhaustsAt, forKey: .exhaustsAt)
            try c.encodeRFC3339(expiresAt, forKey: .expiresAt)
            try c.encode(unusedAtExpiryBytes, forKey: .unusedAtExpiryBytes)
        }
    }

    package var source: SourceID
    /// Sum of the active packages' remaining bytes.
    package var remainingBytes: Int64
    package var activePackages: Int
    /// The pool's demand averaged over a day (see ``PoolDemand``).
    package var burnBytesPerHour: Double
    package var demand: PoolDemand
    package var nextExhaustion: PackageTime?
    /// When the pool stops covering traffic, i.e. when pay-as-you-go billing starts: the first moment with
    /// demand and no package that may serve it, or when the last package is gone. Nil beyond the horizon.
    package var emptyAt: Date?
    /// Every simulated package, in draw order (off-peak first, then full-time; each in `rules.drawOrder`).
    package var packages: [PackageOutcome]
    /// What the simulation assumed: the off-peak window and the draw order within a kind.
    package var rules: PoolRules
    /// 10 % chance the pool is empty by then (the high-demand scenario) and 90 % chance; nil when not simulated
    /// with quantiles or beyond the horizon.
    package var emptyAtP10: Date?
    package var emptyAtP90: Date?
    /// The early quantiles (P0.5-P5) that pool rules with a confidence fire and resolve on: P1 and P5 each a simulation
    /// of its own, like P10, P0.5 and P2.5 interpolated on them; nil without quantiles. Not part of the JSON.
    package var tail: RunwayTail?
    /// The source was never read successfully: what the pool holds is unknown (not zero), so it has no forecast.
    package var unknown = false

    /// The pool of a source never read successfully: unknown, never "empty".
    package static func unknown(_ source: SourceID) -> PoolForecast {
        var pool = PoolForecast(
            source: source, remainingBytes: 0, activePackages: 0, burnBytesPerHour: 0, demand: PoolDemand(dayBytesPerHour: 0, windowBytesPerHour: 0),
            nextExhaustion: nil, emptyAt: nil, packages: [])
        pool.unknown = true
        return pool
    }

    package init(
        source: SourceID, remainingBytes: Int64, activePackages: Int, burnBytesPerHour: Double, demand: PoolDemand,
        nextExhaustion: PackageTime?, emptyAt: Date?, packages: [PackageOutcome], rules: PoolRules = .bce
    ) {
        self.rules = rules
        self.source = source
        self.remainingBytes = remainingBytes
        self.activePackages = activePackages
        self.burnBytesPerHour = burnBytesPerHour
        self.demand = demand
        self.nextExhaustion = nextExhaustion
        self.emptyAt = emptyAt
        self.packages = packages
    }

    enum CodingKeys: String, CodingKey {
        case source, remainingBytes, activePackages, burnBytesPerHour, demand, nextExhaustion, emptyAt, packages, drawOrder
        case offPeakStartSecond, offPeakLength
        case emptyAtP10, emptyAtP90
    }

    /// The instant by which the pool is empty with probability `q` (see ``RunwayQuantiles``); the median alone
    /// without quantiles.
    package func emptyAt(quantile q: Double, now: Date) -> Date? {
        guard emptyAtP10 != nil || emptyAtP90 != nil else { return emptyAt }
        return RunwayQuantiles.at(quantile: q, p10: emptyAtP10, p50: emptyAt, p90: emptyAtP90, tail: tail, now: now)
    }

    /// Hours until the fire and hold quantiles of `rule` empty the pool (infinity: never within the horizon).
    package func runways(_ rule: ExhaustionHysteresis, now: Date) -> (fire: Double, hold: Double) {
        func hours(_ q: Double) -> Double { emptyAt(quantile: q, now: now).map { $0.timeIntervalSince(now) / 3600 } ?? .infinity }
        return (hours(rule.fireQuantile), hours(rule.holdQuantile))
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try c.decode(SourceID.self, forKey: .source)
        remainingBytes = try c.decode(Int64.self, forKey: .remainingBytes)
        activePackages = try c.decode(Int.self, forKey: .activePackages)
        burnBytesPerHour = try c.decode(Double.self, forKey: .burnBytesPerHour)
        demand = try c.decode(PoolDemand.self, forKey: .demand)
        nextExhaustion = try c.decodeIfPresent(PackageTime.self, forKey: .nextExhaustion)
        emptyAt = try c.decodeRFC3339IfPresent(forKey: .emptyAt)
        packages = try c.decode([PackageOutcome].self, forKey: .packages)
        emptyAtP10 = try c.decodeRFC3339IfPresent(forKey: .emptyAtP10)
        emptyAtP90 = try c.decodeRFC3339IfPresent(forKey: .emptyAtP90)
        let start = try c.decodeIfPresent(Double.self, forKey: .offPeakStartSecond)
        let length = try c.decodeIfPresent(Double.self, forKey: .offPeakLength)
        rules = PoolRules(
            offPeak: start.flatMap { s in length.map { OffPeakWindow(startSecondOfDay: s, length: $0) } } ?? .bce,
            drawOrder: try c.decodeIfPresent(DrawOrder.self, forKey: .drawOrder) ?? .earliestDeadlineFirst)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(remainingBytes, forKey: .remainingBytes)
        try c.encode(activePackages, forKey: .activePackages)
        try c.encode(burnBytesPerHour, forKey: .burnBytesPerHour)
        try c.encode(demand, forKey: .demand)
        try c.encode(nextExhaustion, forKey: .nextExhaustion)
        try c.encodeRFC3339(emptyAt, forKey: .emptyAt)
        try c.encode(packages, forKey: .packages)
        if emptyAtP10 != nil || emptyAtP90 != nil {
            try c.encodeRFC3339(emptyAtP10, forKey: .emptyAtP10)
            try c.encodeRFC3339(emptyAtP90, forKey: .emptyAtP90)
        }
        try c.encode(rules.drawOrder, forKey: .drawOrder)
        try c.encode(rules.offPeak.startSecondOfDay, forKey: .offPeakStartSecond)
        try c.encode(rules.offPeak.length, forKey: .offPeakLength)
    }
}
