import Foundation

/// The generating process of one synthetic package (``SyntheticWorkload``): its drawn parameters and the hour-by-hour
/// draw. The series are made from it, and the benchmark's oracle (`tpgw-bench-forecast oracle`) redraws a package's
/// future from it to measure what a forecaster that knew the process exactly could achieve.
package struct SyntheticProcess: Sendable {
    package var family: SyntheticFamily
    /// Beijing hour index of the series' first hour.
    package var startHour: Int64
    /// Bytes an hour at full rate.
    package var rate: Double
    /// Hours after `start` the package runs out (its capacity is what the workload without a stop draws by then).
    package var exhaustHour: Double
    package var growth: Double
    package var stepAt: Double
    package var stepFactor: Double
    package var stopAt: Double
    package var resumeAt: Double

    /// What the draw carries from one hour to the next (a burst in progress).
    package struct State: Sendable {
        package var burst = 0
        package var burstFactor = 1.0
        package init() {}
    }

    /// Draws the parameters of one package from `rng` (in the order the series have always been drawn).
    package init(_ family: SyntheticFamily, startHour: Int64, rng: inout SeededRandom) {
        self.family = family
        self.startHour = startHour
        rate = exp(log(2e8) + rng.unit() * log(50.0))  // 200 MB - 10 GB an hour
        exhaustHour = 16 * 24 + rng.unit() * 14 * 24
        growth = 0.02 + rng.unit() * 0.03
        // A step down early enough that the old rate alone would not have warned (old-rate runway >= 35 h).
        stepAt = exhaustHour - (family == .stepDown ? 100 + rng.unit() * 68 : 36 + rng.unit() * 84)
        stepFactor = family == .stepUp ? 1.8 + rng.unit() * 0.7 : 0.35 + rng.unit() * 0.2
        stopAt = exhaustHour - 48 - rng.unit() * 96
        resumeAt = rng.unit() < 0.5 ? (stopAt + 24 + rng.unit() * 48).rounded(.up) : .infinity
    }

    /// Busy 09:00-19:00 Beijing, half 07:00-09:00 and 19:00-22:00, a sixth at night.
    static func business(hourOfDay hod: Int) -> Double { hod >= 9 && hod < 19 ? 1.0 : (hod >= 7 && hod < 22 ? 0.5 : 1.0 / 6) }

    /// Bytes drawn in hour `i` of the series (advancing `state` and `rng`).
    package func delta(hour i: Int, state: inout State, rng: inout SeededRandom) -> Double {
        let h = startHour + Int64(i)
        let how = BeijingHour.hourOfWeek(h)
        let business = Self.business(hourOfDay: how % 24)
        let weekend = how >= 120
        let noise = exp(Self.normal(&rng) * 0.15 - 0.01125)
        switch family {
        case .steady:
            return rate * noise
        case .diurnal:
            return rate * business * noise
        case .weekly:
            return rate * business * (weekend ? 0.25 : 1) * noise
        case .growth:
            return rate * business * exp(growth * Double(i) / 24) * noise
        case .stepUp, .stepDown:
            return rate * business * (Double(i) >= stepAt ? stepFactor : 1) * noise
        case .bursty:
            if state.burst == 0, rng.unit() < 0.05 {
                state.burst = 1 + Int(rng.unit() * 2)
                state.burstFactor = 3 + rng.unit() * 2
            }
            let v = rate * 0.7 * (state.burst > 0 ? state.burstFactor : 1) * noise
            if state.burst > 0 { state.burst -= 1 }
            return v
        case .offPeak:
            return BeijingHour.isOffPeak(h) ? rate * noise : 0
        case .nearIdle:
            // A trickle (keep-alives, health checks) and now and then a small job.
            let job = rng.unit() < 1.0 / 8 ? -log(max(rng.unit(), 1e-12)) : 0
            return rate * 0.01 * (exp(Self.normal(&rng) * 0.3 - 0.045) + job)
        case .stops:
            let stopped = Double(i) >= stopAt && Double(i) < resumeAt
            return stopped ? 0 : rate * business * noise
        }
    }

    /// The process as it is known at hour `i` at best: the regime in force continues (a step, a stop or a resumption
    /// still to come is not known; one that has come is known from its first hour).
    package func known(atHour i: Int) -> SyntheticProcess {
        var p = self
        let t = Double(i)
        if t < p.stepAt { p.stepAt = .infinity }
        if t < p.stopAt { p.stopAt = .infinity }
        if t >= p.stopAt, t < p.resumeAt { p.resumeAt = .infinity }
        return p
    }

    /// Hours from the start of hour `i` (with `state` the draw state before it) until a redrawn future has drawn
    /// `bytes`, looking `hours` ahead; infinity when it does not within them.
    package func hoursUntil(drawn bytes: Double, fromHour i: Int, state: State, hours: Int, rng: inout SeededRandom) -> Double {
        var state = state
        var drawn = 0.0
        for j in i..<(i + hours) {
            let d = delta(hour: j, state: &state, rng: &rng)
            if drawn + d >= bytes, d > 0 { return Double(j - i) + (bytes - drawn) / d }
            drawn += d
        }
        return .infinity
    }

    /// Mean bytes drawn over `hours` from the start of hour `i` (with `state` the draw state before it), over
    /// `redraws` redrawn futures: the expectation a forecast is measured against (benchmark aids).
    package func expectedDemand(fromHour i: Int, state: State, hours: Int, redraws: Int, rng: inout SeededRandom) -> Double {
        var total = 0.0
        for _ in 0..<redraws {
            var s = state
            for j in i..<(i + hours) { total += delta(hour: j, state: &s, rng: &rng) }
        }
        return total / Double(max(redraws, 1))
    }

    /// What hour `i` would draw without the stop (the `stops` family's capacity is reckoned on it).
    func referenceDelta(hour i: Int) -> Double {
        rate * Self.business(hourOfDay: BeijingHour.hourOfWeek(startHour + Int64(i)) % 24)
    }

    /// A standard normal draw (Box-Muller).
    static func normal(_ rng: inout SeededRandom) -> Double {
        let u1 = max(rng.unit(), 1e-12)
        let u2 = rng.unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
