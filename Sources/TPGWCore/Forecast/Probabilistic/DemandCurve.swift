import Foundation

/// The forecast demand of one package (or pool) from a start instant: hour by hour for two weeks (level x hour-of-week
/// profile x trend), then a repeating week with the trend frozen. Evaluates the cumulative demand and its spread at
/// any offset and finds when a quantile scenario has drawn a given number of bytes. Pure.
package struct DemandCurve: Sendable {
    /// Hours stepped one by one; beyond them a week repeats (the trend is not extrapolated further).
    static let steppedHours = 336

    /// Start instant (seconds since the epoch) and the length of the first, partial hour (in hours).
    let start: Double
    let firstFraction: Double
    /// Cumulative demand and profile units at the end of slot k-1 (index 0 = start), k = 0...steppedHours + 168.
    private var cum: [Double]
    private var units: [Double]
    private var squares: [Double]
    /// Sum of units x the hour (from `start`, slot midpoint) they are drawn at: over `units`, the mean age of the demand.
    private var ages: [Double]
    /// Spread model: log-scale sigma^2 = floor + level + max(noise / effective hours, day / days drawn)
    /// + (trend se x mean age of the demand in days)^2. The horizon terms advance only with what the curve draws:
    /// an off-peak package's idle hours neither average its noise nor age its demand, so a scenario stays flat
    /// between windows like the median (with clock hours its spread moved there, and a quantile could cross its
    /// bytes outside the window or a second time).
    package let sigmaFloor2: Double
    package let sigmaLevel2: Double
    package let sigmaNoise2: Double
    /// Day-to-day variance of the daily level (log scale), 0 when unknown: the noise floor of a horizon that has drawn
    /// `u` units (a day draws 24: the profile's mean is 1) is this x 24 / u, and this itself under a day's units.
    package let sigmaDay2: Double
    package let trendSE: Double

    /// - Parameters:
    ///   - level: demand per unit of profile per hour now.
    ///   - growthPerDay: log growth per day, applied for the stepped hours and frozen after.
    ///   - weeklyUnits: profile units by Beijing hour of the week (168).
    ///   - windowShare: for an off-peak package, the share of each UTC hour of the day inside its window (24); nil
    ///     for full-time.
    init(
        start: Double, level: Double, growthPerDay g: Double, weeklyUnits table: [Double], windowShare: [Double]?,
        sigmaFloor2: Double, sigmaLevel2: Double, sigmaNoise2: Double, sigmaDay2: Double, trendSE: Double
    ) {
        self.start = start
        let h0 = BeijingHour.index(start)
        let first = min(1, max(0, (Double(h0 + 1) * 3600 - start) / 3600))
        firstFraction = first
        let n = Self.steppedHours + 168
        var cum = [Double](repeating: 0, count: n + 1)
        var units = [Double](repeating: 0, count: n + 1)
        var squares = [Double](repeating: 0, count: n + 1)
        var ages = [Double](repeating: 0, count: n + 1)
        // One pass, no calendar per hour: the hour of the week and of the UTC day advance with k, and the trend
        // factor exp(g x min(k, stepped) / 24) is a running product.
        var how = BeijingHour.hourOfWeek(h0)
        var utcHour = Int(((h0 % 24) + 24) % 24)
        let step = g == 0 ? 1 : exp(g / 24)
        var growth = 1.0
        let level = level.isFinite ? max(0, level) : 0
        var c = 0.0, uu = 0.0, qq = 0.0, aa = 0.0
        for k in 0..<n {
            var u = max(0, table[how])
            if let windowShare { u *= windowShare[utcHour] }
            if k == 0 { u *= first }
            c += level * u * growth
            uu += u
            qq += u * u
            aa += u * (k == 0 ? first / 2 : first + Double(k) - 0.5)
            cum[k + 1] = c
            units[k + 1] = uu
            squares[k + 1] = qq
            ages[k + 1] = aa
            how = how == 167 ? 0 : how + 1
            utcHour = utcHour == 23 ? 0 : utcHour + 1
            if k < Self.steppedHours { growth *= step }
        }
        self.cum = cum
        self.units = units
        self.squares = squares
        self.ages = ages
        self.sigmaFloor2 = sigmaFloor2
        self.sigmaLevel2 = sigmaLevel2
        self.sigmaNoise2 = sigmaNoise2
        self.sigmaDay2 = sigmaDay2
        self.trendSE = trendSE
    }

    /// Hours from `start` to the end of slot k-1.
    func hours(slot k: Int) -> Double { k == 0 ? 0 : firstFraction + Double(k - 1) }

    /// Cumulative demand through slot boundary k, with its units, effective independent hours and the demand's mean
    /// age in hours (k may exceed the stepped part: weeks repeat).
    private func value(_ k: Int) -> (cum: Double, units: Double, effectiveHours: Double, meanAge: Double) {
        let s = Self.steppedHours
        let u: Double
        let q: Double
        let c: Double
        let a: Double
        if k <= s + 168 {
            (c, u, q, a) = (cum[k], units[k], squares[k], ages[k])
        } else {
            let w = (k - s) / 168
            let weeks = Double(w)
            let rest = (k - s) % 168
            let weekUnits = units[s + 168] - units[s]
            c = cum[s] + weeks * (cum[s + 168] - cum[s]) + (cum[s + rest] - cum[s])
            u = units[s] + weeks * weekUnits + (units[s + rest] - units[s])
            q = squares[s] + weeks * (squares[s + 168] - squares[s]) + (squares[s + rest] - squares[s])
            // Week j (0-based) of the repeat is the last stepped week drawn again 168 x (j + 1) hours later.
            a = ages[s] + weeks * (ages[s + 168] - ages[s]) + 168 * weekUnits * weeks * (weeks + 1) / 2
                + (ages[s + rest] - ages[s]) + 168 * (weeks + 1) * (units[s + rest] - units[s])
        }
        return (c, u, q > 0 ? u * u / q : 0, u > 0 ? a / u : 0)
    }

    /// Log-scale sigma of a cumulative demand that has drawn `units` over `effectiveHours` independent hours with its
    /// demand `meanAge` hours ahead on average (capped at 1.5).
    ///
    /// A day draws 24 units, so `units / 24` is the days the sum rests on: the day-to-day spread averages down over
    /// several days, but part of a day carries at most the day's own spread (the spread of its hours is the noise
    /// term; with 24 / hours, a few quiet night hours had up to 14 times a day's spread). A trend misjudged by δ a day moves the
    /// demand of an hour t hours ahead by δ t / 24 (log) and the sum by δ x its demand-weighted mean age: half the
    /// horizon for an even draw (the trend's error used to count half of the horizon's days by a constant).
    func sigma(units: Double, effectiveHours: Double, meanAge: Double) -> Double {
        let ageDays = meanAge / 24
        let noise = max(sigmaNoise2 / max(effectiveHours, 0.5), sigmaDay2 * 24 / max(units, 24))
        let s2 = sigmaFloor2 + sigmaLevel2 + noise + trendSE * trendSE * ageDays * ageDays
        return min(s2.squareRoot(), 1.5)
    }

    /// Demand of the scenario z (z > 0: more demand) through slot boundary k.
    private func scenario(_ k: Int, z: Double) -> Double {
        let v = value(k)
        return v.cum * exp(z * sigma(units: v.units, effectiveHours: v.effectiveHours, meanAge: v.meanAge))
    }

    /// Hours from `start` until scenario z has drawn `bytes`; nil when not within `maxHours`.
    func hoursUntil(drawn bytes: Double, z: Double, maxHours: Double) -> Double? {
        guard bytes > 0 else { return 0 }
        let maxSlot = Int(min(maxHours, 1e6)) + 1
        // Bisection over the stepped part (its scenario demand grows with k), then week by week, then hour by hour
        // inside the week found.
        let stepped = min(Self.steppedHours + 168, maxSlot)
        if stepped >= 1, scenario(stepped, z: z) >= bytes {
            var lo = 0  // scenario(lo) < bytes (slot 0 draws nothing)
            var hi = stepped  // scenario(hi) >= bytes
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if scenario(mid, z: z) >= bytes { hi = mid } else { lo = mid }
            }
            if let end = lastDrawingSlot(before: hi) { return hours(slot: end) }
            return interpolate(hi, lo == 0 ? 0 : scenario(lo, z: z), scenario(hi, z: z), bytes)
        }
        var weekStart = stepped
        while weekStart + 168 <= maxSlot {
            let v = scenario(weekStart + 168, z: z)
            if v >= bytes { break }
            weekStart += 168
        }
        let weekEnd = min(weekStart + 168, maxSlot)
        guard weekEnd > weekStart, scenario(weekEnd, z: z) >= bytes else { return nil }
        var lo = weekStart
        var hi = weekEnd
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if scenario(mid, z: z) >= bytes { hi = mid } else { lo = mid }
        }
        if let end = lastDrawingSlot(before: hi) { return hours(slot: end) }
        return interpolate(hi, scenario(lo, z: z), scenario(hi, z: z), bytes)
    }

    /// When slot `k` draws nothing (an off-peak package outside its window), a scenario crosses there only because
    /// its spread changes with the horizon: it ran out at the end of the last slot that drew. Nil when `k` draws.
    private func lastDrawingSlot(before k: Int) -> Int? {
        guard k > 1, value(k).cum <= value(k - 1).cum else { return nil }
        var end = k - 1
        while end > 1, value(end).cum <= value(end - 1).cum { end -= 1 }
        return end
    }

    private func interpolate(_ k: Int, _ before: Double, _ after: Double, _ bytes: Double) -> Double {
        let span = hours(slot: k) - hours(slot: k - 1)
        let f = after > before ? (bytes - before) / (after - before) : 1
        return hours(slot: k - 1) + span * min(max(f, 0), 1)
    }

    /// Demand of scenario z through `hours` after `start` (linear inside an hour).
    package func drawn(throughHours h: Double, z: Double) -> Double {
        guard h > 0 else { return 0 }
        let capped = min(h, 1e6)
        let slotEnd = capped <= firstFraction ? 1 : Int((capped - firstFraction).rounded(.up)) + 1
        let before = scenario(slotEnd - 1, z: z)
        let after = scenario(slotEnd, z: z)
        let a = hours(slot: slotEnd - 1)
        let b = hours(slot: slotEnd)
        let f = b > a ? (capped - a) / (b - a) : 1
        return before + (after - before) * min(max(f, 0), 1)
    }

    /// Average demand per wall-clock hour over the next 24 hours (the median scenario).
    var dailyAverageRate: Double {
        drawn(throughHours: 24, z: 0) / 24
    }
}
