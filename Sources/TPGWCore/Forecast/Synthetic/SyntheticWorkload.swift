import Foundation

/// Generates hourly usage series of a ``SyntheticFamily`` for backtests, seeded so every run is the same.
///
/// Each package gets 28+ days of history before the window it is scored in: it is bought at `start` (a random hour
/// of the week), runs out at a random time 16-30 days later (its capacity is what the workload drew by then) and
/// the series continues to the end of day 38, expiring at day 60.
package enum SyntheticWorkload {
    package static let seriesHours = 38 * 24
    package static let epoch = Date(timeIntervalSince1970: 1_788_825_600)  // 2026-09-08T00:00:00Z

    /// `count` packages of `family`, deterministic in `seed`.
    package static func series(_ family: SyntheticFamily, count: Int, seed: UInt64) -> [BacktestSeries] {
        var rng = SeededRandom(seed: seed &+ UInt64(SyntheticFamily.allCases.firstIndex(of: family) ?? 0) &* 0x1000_0000)
        return (0..<count).map { make(family, index: $0, rng: &rng) }
    }

    private static func make(_ family: SyntheticFamily, index: Int, rng: inout SeededRandom) -> BacktestSeries {
        let start = epoch.addingTimeInterval(Double(Int(rng.unit() * 168)) * 3600)
        let startHour = BeijingHour.index(start.timeIntervalSince1970)
        let rate = exp(log(2e8) + rng.unit() * log(50.0))  // 200 MB - 10 GB an hour
        let exhaustHour = 16 * 24 + rng.unit() * 14 * 24
        var deltas = [Double](repeating: 0, count: seriesHours)
        let growth = 0.02 + rng.unit() * 0.03
        // A step down early enough that the old rate alone would not have warned (old-rate runway >= 35 h).
        let stepAt = exhaustHour - (family == .stepDown ? 100 + rng.unit() * 68 : 36 + rng.unit() * 84)
        let stepFactor = family == .stepUp ? 1.8 + rng.unit() * 0.7 : 0.35 + rng.unit() * 0.2
        let stopAt = exhaustHour - 48 - rng.unit() * 96
        let resumeAt = rng.unit() < 0.5 ? (stopAt + 24 + rng.unit() * 48).rounded(.up) : .infinity
        var burst = 0
        var burstFactor = 1.0
        for i in 0..<seriesHours {
            let h = startHour + Int64(i)
            let how = BeijingHour.hourOfWeek(h)
            let hod = how % 24
            let weekend = how >= 120
            let business = hod >= 9 && hod < 19 ? 1.0 : (hod >= 7 && hod < 22 ? 0.5 : 1.0 / 6)
            let noise = exp(normal(&rng) * 0.15 - 0.01125)
            var v: Double
            switch family {
            case .steady:
                v = rate * noise
            case .diurnal:
                v = rate * business * noise
            case .weekly:
                v = rate * business * (weekend ? 0.25 : 1) * noise
            case .growth:
                v = rate * business * exp(growth * Double(i) / 24) * noise
            case .stepUp, .stepDown:
                v = rate * business * (Double(i) >= stepAt ? stepFactor : 1) * noise
            case .bursty:
                if burst == 0, rng.unit() < 0.05 {
                    burst = 1 + Int(rng.unit() * 2)
                    burstFactor = 3 + rng.unit() * 2
                }
                v = rate * 0.7 * (burst > 0 ? burstFactor : 1) * noise
                if burst > 0 { burst -= 1 }
            case .offPeak:
                v = BeijingHour.isOffPeak(h) ? rate * noise : 0
            case .nearIdle:
                // A trickle (keep-alives, health checks) and now and then a small job.
                let job = rng.unit() < 1.0 / 8 ? -log(max(rng.unit(), 1e-12)) : 0
                v = rate * 0.01 * (exp(normal(&rng) * 0.3 - 0.045) + job)
            case .stops:
                let stopped = Double(i) >= stopAt && Double(i) < resumeAt
                v = stopped ? 0 : rate * business * noise
            }
            deltas[i] = v
        }
        // Capacity: what the workload (without the stop) draws by `exhaustHour`.
        var reference = deltas
        if family == .stops {
            for i in 0..<seriesHours where reference[i] == 0 {
                let hod = BeijingHour.hourOfWeek(startHour + Int64(i)) % 24
                reference[i] = rate * (hod >= 9 && hod < 19 ? 1.0 : (hod >= 7 && hod < 22 ? 0.5 : 1.0 / 6))
            }
        }
        var capacity = 0.0
        let whole = Int(exhaustHour)
        for i in 0..<whole { capacity += reference[i] }
        capacity += reference[whole] * (exhaustHour - Double(whole))
        var used = [Int64](repeating: 0, count: seriesHours + 1)
        var total = 0.0
        for i in 0..<seriesHours {
            used[i] = Int64(total.rounded())
            total += deltas[i]
        }
        used[seriesHours] = Int64(total.rounded())
        let cap = Int64(capacity.rounded())
        // Not clamped at the capacity (a meter would be): the sample past it tells when, inside its hour, it ran out
        // (the backtest stops forecasting there).
        // What defines the family is scored: the day after a step or a resumption (the change is inside the last day).
        let scored: Range<Int>?
        switch family {
        case .stepUp, .stepDown: scored = Int(stepAt.rounded(.up))..<Int(stepAt.rounded(.up)) + 24
        case .stops: scored = resumeAt.isFinite ? Int(resumeAt)..<Int(resumeAt) + 24 : 0..<0
        default: scored = nil
        }
        let accounts = ["prod", "media", "staging"]
        let regions = ["bj", "gz", "su"]
        return BacktestSeries(
            key: PackageKey(provider: "bce", account: accounts[index % 3], region: regions[(index / 3) % 3], id: "tp-\(family.rawValue)-\(index)"),
            policy: family == .offPeak ? .offPeak : .fullTime, capacityBytes: cap, createdAt: start,
            expiresAt: start.addingTimeInterval(60 * 86400), start: start, usedBytes: used,
            label: family.rawValue, scored: scored)
    }

    /// A standard normal draw (Box-Muller).
    private static func normal(_ rng: inout SeededRandom) -> Double {
        let u1 = max(rng.unit(), 1e-12)
        let u2 = rng.unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
