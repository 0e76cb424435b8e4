import Dispatch
import Foundation
import TPGWCore

/// `tpgw-bench-forecast oracle [packages per family] [paths]`: what the `exhaustion` rule would score if it were fed
/// the *true* distribution of each package's future instead of a forecast, per family and confidence.
///
/// At every hour (true runway <= 72 h) the oracle redraws the next 27 hours `paths` times from the package's own
/// generating process (``SyntheticProcess``: its true rate, shape, growth, noise and the burst in progress), so its
/// runway quantiles are exact up to Monte Carlo error. It cannot see a change coming (a step, a stop, a resumption):
/// it knows the regime in force at the time, from the first hour of the new one on, which no forecaster does. The rule
/// and the scoring are the backtest's (``ExhaustionHysteresis``: fire on the runway at 1 - confidence within 24 h, hold
/// on half that chance within 25.2 h; warned = firing at exhaustion - 24 h, evaluated at that instant too; false =
/// true runway > 36 h at firing). No forecaster can do better than this on these series with this rule, so a target
/// the oracle misses cannot be met by improving the forecast.
func oracle(count: Int, paths: Int, seed: UInt64) {
    let confidences = [0.9, 0.95, 0.99, 0.995]
    print("| family | exhaustions | " + confidences.map { "warned / false at \($0)" }.joined(separator: " | ") + " |")
    print("|---|---:|" + confidences.map { _ in "---|" }.joined())
    var all = [OracleTally](repeating: OracleTally(), count: confidences.count)
    for family in SyntheticFamily.allCases {
        let packages = SyntheticWorkload.processes(family, count: count, seed: seed)
        let results = OracleResults(count: packages.count)
        DispatchQueue.concurrentPerform(iterations: packages.count) { p in
            results.set(p, oracleReplay(packages[p], index: p, confidences: confidences, paths: paths))
        }
        var tally = [OracleTally](repeating: OracleTally(), count: confidences.count)
        for r in results.all { for c in confidences.indices { tally[c].add(r[c]) } }
        for c in confidences.indices { all[c].add(tally[c]) }
        print("| \(family.rawValue) | \(tally[0].exhaustions) | " + tally.map(\.cell).joined(separator: " | ") + " |")
    }
    print("| **all** | \(all[0].exhaustions) | " + all.map(\.cell).joined(separator: " | ") + " |")
    print("")
    print("seed \(seed), \(count) packages per family, \(paths) paths per hour")
}

/// Per-package results written by concurrent workers.
final class OracleResults: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [[OracleTally]]
    init(count: Int) { values = .init(repeating: [], count: count) }
    func set(_ i: Int, _ v: [OracleTally]) { lock.withLock { values[i] = v } }
    var all: [[OracleTally]] { lock.withLock { values } }
}

struct OracleTally {
    var exhaustions = 0
    var warned = 0
    var warnings = 0
    var falseWarnings = 0

    mutating func add(_ o: OracleTally) {
        exhaustions += o.exhaustions
        warned += o.warned
        warnings += o.warnings
        falseWarnings += o.falseWarnings
    }

    var cell: String {
        func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "n/a" : String(format: "%.1f", 100 * Double(a) / Double(b)) }
        return "\(pct(warned, exhaustions)) / \(pct(falseWarnings, warnings)) %"
    }
}

/// One package's tallies at each confidence.
func oracleReplay(
    _ package: (series: BacktestSeries, process: SyntheticProcess, states: [SyntheticProcess.State]), index: Int,
    confidences: [Double], paths: Int
) -> [OracleTally] {
    let s = package.series
    let horizon = 24.0
    let warmup = 168
    var tallies = [OracleTally](repeating: OracleTally(), count: confidences.count)
    var firing = [Bool](repeating: false, count: confidences.count)
    guard let exhausted = s.exhaustedAt else { return tallies }  // never runs out: the oracle knows the stop holds
    let exhaustedHours = exhausted.timeIntervalSince(s.start) / 3600
    let scored = exhaustedHours >= Double(warmup) + horizon
    var warnedCounted = !scored
    for c in confidences.indices { tallies[c].exhaustions = scored ? 1 : 0 }
    let warnBy = exhaustedHours - horizon
    var times = [Double](repeating: 0, count: paths)
    for i in warmup..<s.usedBytes.count where s.usedBytes[i] < s.capacityBytes {
        let trueHours = exhaustedHours - Double(i)
        guard trueHours <= 72 else { continue }
        let process = package.process.known(atHour: i)
        let remaining = Double(s.capacityBytes - s.usedBytes[i])
        var rng = SeededRandom(seed: UInt64(index) &* 0x9E37_79B9 &+ UInt64(i) &* 0x85EB_CA6B &+ 17)
        for p in 0..<paths {
            times[p] = process.hoursUntil(drawn: remaining, fromHour: i, state: package.states[i], hours: 27, rng: &rng)
        }
        /// The rule at `offset` hours after hour i (the paths that ran out before then are impossible).
        func evaluate(offset: Double) {
            var alive = 0, within = 0, withinHold = 0
            for t in times where t > offset {
                alive += 1
                if t <= offset + horizon { within += 1 }
                if t <= offset + horizon * 1.05 { withinHold += 1 }
            }
            guard alive > 0 else { return }
            let fire = Double(within) / Double(alive), hold = Double(withinHold) / Double(alive)
            for c in confidences.indices {
                let q = 1 - confidences[c]
                if !firing[c], fire >= q {
                    firing[c] = true
                    tallies[c].warnings += 1
                    if trueHours - offset > 1.5 * horizon { tallies[c].falseWarnings += 1 }
                } else if firing[c], hold < q / 2 {
                    firing[c] = false
                }
            }
        }
        evaluate(offset: 0)
        if !warnedCounted, Double(i) + 1 > warnBy {
            if warnBy > Double(i) { evaluate(offset: warnBy - Double(i)) }
            for c in confidences.indices where firing[c] { tallies[c].warned = 1 }
            warnedCounted = true
        }
    }
    return tallies
}

/// `tpgw-bench-forecast decompose <family> [packages]`: at every hour whose true runway is 48-96 h, the log error of
/// the forecast's median demand over the next 72 h split into the process's own part (realised over expected, the
/// expectation from 400 redraws of the process) and the forecaster's part (median over expected); sd of each and
/// the model's sigma (tuning aid: what the interval must cover).
func decompose(family: SyntheticFamily, count: Int, seed: UInt64) {
    var own: [Double] = [], model: [Double] = [], total: [Double] = [], sigmas: [Double] = []
    for (index, p) in SyntheticWorkload.processes(family, count: count, seed: seed).enumerated() {
        let s = p.series
        var features = ForecastFeatures()
        guard let exhausted = s.exhaustedAt else { continue }
        let exhaustedHours = exhausted.timeIntervalSince(s.start) / 3600
        for i in s.usedBytes.indices {
            let now = s.start.addingTimeInterval(Double(i) * 3600)
            features.update(observedUsedBytes: s.usedBytes[i], at: now)
            let t = exhaustedHours - Double(i)
            guard i >= 168, t >= 48, t <= 96, i + 72 < s.usedBytes.count, i % 6 == 0,
                  let curve = ProbabilisticForecaster.curve(features: features, policy: s.policy, start: now, now: now, offPeak: s.offPeak)
            else { continue }
            let median = curve.drawn(throughHours: 72, z: 0)
            let sigma = log(curve.drawn(throughHours: 72, z: 1) / median)
            let realised = Double(s.usedBytes[i + 72] - s.usedBytes[i])
            var rng = SeededRandom(seed: UInt64(index) &* 7919 &+ UInt64(i))
            let expected = p.process.expectedDemand(fromHour: i, state: p.states[i], hours: 72, redraws: 400, rng: &rng)
            guard median > 0, realised > 0, expected > 0 else { continue }
            own.append(log(realised / expected))
            model.append(log(median / expected))
            total.append(log(realised / median))
            sigmas.append(sigma)
        }
    }
    func sd(_ v: [Double]) -> String {
        let m = v.reduce(0, +) / Double(v.count)
        return String(format: "mean %+.4f sd %.4f", m, (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot())
    }
    print("\(family.rawValue): \(total.count) points over 72 h; realised/median \(sd(total)); realised/expected (process) \(sd(own)); median/expected (forecaster) \(sd(model)); model sigma mean \(String(format: "%.4f", sigmas.reduce(0, +) / Double(sigmas.count)))")
}

/// `tpgw-bench-forecast bound <family> [packages] [paths]`: an upper bound on the share of packages for which *any*
/// rule, however it decides, could both warn at least 24 h ahead and not falsely (true runway at firing <= 36 h).
/// Such a rule fires at some instant t with the true runway in [24, 36] h; knowing what the oracle knows at t, the
/// chance of that is P(runway in [24, 36] h), so no rule does better per package than the largest of these over
/// the hours it could choose (every hour with a true runway of at most 72 h: further out the chance is ~0). Meeting ">= 99 % warned, <= 2 % false" needs this >= ~97 %.
func oracleBound(family: SyntheticFamily, count: Int, paths: Int, seed: UInt64) {
    let packages = SyntheticWorkload.processes(family, count: count, seed: seed)
    let results = OracleResults(count: packages.count)
    DispatchQueue.concurrentPerform(iterations: packages.count) { index in
        let package = packages[index]
        let s = package.series
        guard let exhausted = s.exhaustedAt else { return }
        let exhaustedHours = exhausted.timeIntervalSince(s.start) / 3600
        var best = 0.0
        for i in 168..<s.usedBytes.count where s.usedBytes[i] < s.capacityBytes {
            let trueHours = exhaustedHours - Double(i)
            guard trueHours <= 72 else { continue }
            let process = package.process.known(atHour: i)
            let remaining = Double(s.capacityBytes - s.usedBytes[i])
            var rng = SeededRandom(seed: UInt64(index) &* 0x9E37_79B9 &+ UInt64(i) &* 0x85EB_CA6B &+ 29)
            var inside = 0
            for _ in 0..<paths {
                let t = process.hoursUntil(drawn: remaining, fromHour: i, state: package.states[i], hours: 37, rng: &rng)
                if t >= 24, t <= 36 { inside += 1 }
            }
            best = max(best, Double(inside) / Double(paths))
        }
        var t = OracleTally()
        t.exhaustions = 1
        t.warned = Int((best * 1000).rounded())  // per mille, summed below
        results.set(index, [t])
    }
    let bounds = results.all.compactMap { $0.first }.map { Double($0.warned) / 1000 }
    let mean = bounds.reduce(0, +) / Double(max(bounds.count, 1))
    let sorted = bounds.sorted()
    print(String(format: "%@: %d packages; best chance any rule has of firing with the true runway in [24, 36] h: mean %.1f %%, median %.1f %%, packages >= 97 %%: %.1f %%",
                 family.rawValue, bounds.count, mean * 100, (sorted.isEmpty ? 0 : sorted[sorted.count / 2]) * 100,
                 100 * Double(bounds.filter { $0 >= 0.97 }.count) / Double(max(bounds.count, 1))))
}

/// `tpgw-bench-forecast weekhours <family> [packages]`: the forecaster's 24-hour demand error (median over the
/// oracle's expectation, log) by the Beijing day of the week the 24 hours start on, at 08:00 (tuning aid).
func weekHours(family: SyntheticFamily, count: Int, seed: UInt64) {
    var byDay = [[Double]](repeating: [], count: 7)
    for (index, p) in SyntheticWorkload.processes(family, count: count, seed: seed).enumerated() {
        let s = p.series
        var features = ForecastFeatures()
        for i in s.usedBytes.indices {
            let now = s.start.addingTimeInterval(Double(i) * 3600)
            features.update(observedUsedBytes: s.usedBytes[i], at: now)
            let h = BeijingHour.index(now.timeIntervalSince1970)
            guard i >= 336, i + 24 < s.usedBytes.count, s.usedBytes[i + 24] < s.capacityBytes,
                  BeijingHour.hourOfWeek(h) % 24 == 8,
                  let curve = ProbabilisticForecaster.curve(features: features, policy: s.policy, start: now, now: now, offPeak: s.offPeak)
            else { continue }
            let median = curve.drawn(throughHours: 24, z: 0)
            var rng = SeededRandom(seed: UInt64(index) &* 7919 &+ UInt64(i))
            let expected = p.process.expectedDemand(fromHour: i, state: p.states[i], hours: 24, redraws: 200, rng: &rng)
            guard median > 0, expected > 0 else { continue }
            byDay[Int(BeijingHour.hourOfWeek(h) / 24)].append(log(median / expected))
        }
    }
    for d in 0..<7 where !byDay[d].isEmpty {
        let v = byDay[d]
        let m = v.reduce(0, +) / Double(v.count)
        let sd = (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot()
        print(String(format: "day %d (Mon=0) from 08:00: %4d points, median/expected mean %+.4f sd %.4f", d, v.count, m, sd))
    }
}
