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
        processes(family, count: count, seed: seed).map(\.series)
    }

    /// `count` packages of `family` with their generating processes and each hour's draw state (`states[i]`: before
    /// hour `i`), from which the benchmark's oracle redraws futures.
    package static func processes(_ family: SyntheticFamily, count: Int, seed: UInt64)
        -> [(series: BacktestSeries, process: SyntheticProcess, states: [SyntheticProcess.State])]
    {
        var rng = SeededRandom(seed: seed &+ UInt64(SyntheticFamily.allCases.firstIndex(of: family) ?? 0) &* 0x1000_0000)
        return (0..<count).map { make(family, index: $0, rng: &rng) }
    }

    private static func make(_ family: SyntheticFamily, index: Int, rng: inout SeededRandom)
        -> (series: BacktestSeries, process: SyntheticProcess, states: [SyntheticProcess.State])
    {
        let start = epoch.addingTimeInterval(Double(Int(rng.unit() * 168)) * 3600)
        let process = SyntheticProcess(family, startHour: BeijingHour.index(start.timeIntervalSince1970), rng: &rng)
        let exhaustHour = process.exhaustHour, stepAt = process.stepAt, resumeAt = process.resumeAt
        var state = SyntheticProcess.State()
        var states: [SyntheticProcess.State] = []
        states.reserveCapacity(seriesHours)
        let deltas = (0..<seriesHours).map { i -> Double in
            states.append(state)
            return process.delta(hour: i, state: &state, rng: &rng)
        }
        // Capacity: what the workload (without the stop) draws by `exhaustHour`.
        var reference = deltas
        if family == .stops {
            for i in 0..<seriesHours where reference[i] == 0 { reference[i] = process.referenceDelta(hour: i) }
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
        let series = BacktestSeries(
            key: PackageKey(provider: "bce", account: accounts[index % 3], region: regions[(index / 3) % 3], id: "tp-\(family.rawValue)-\(index)"),
            policy: family == .offPeak ? .offPeak : .fullTime, capacityBytes: cap, createdAt: start,
            expiresAt: start.addingTimeInterval(60 * 86400), start: start, usedBytes: used,
            label: family.rawValue, scored: scored)
        return (series, process, states)
    }
}
