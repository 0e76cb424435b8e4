import Foundation

/// What the probabilistic forecaster keeps per package (or pool), updated incrementally from successive
/// snapshots so a rebuild never re-reads weeks of rows. About 0.8 KB: a 168-hour Beijing hour-of-week profile
/// (Float16: relative values of 0-50, 11 significant bits), a 36-hour ring of hourly deltas (for change points), the
/// bytes of the last 14 Beijing days (for the trend; both Float32) and a few scalars (level, noise, the open hour).
///
/// Model pieces, all exponentially weighted so old weeks fade:
/// - **Profile**: each hour-of-week holds the hour's traffic relative to the level, learned ``profileLag`` hours
///   later (from the ring, so a step is found before it can teach the profile busy hours); the second week
///   replaces the first week's values, the next two average in, then α = 0.3 per week (``profileRate``). The
///   forecast uses hour of day x day of week averaged out of it, shrunk toward flat by the noise
///   (``shapeTable()``). An hour never seen falls back to the same hour of other days, then to flat.
/// - **Level**: traffic per unit of profile (deseasonalised), τ = ``levelTau`` hours, restarted at a change point.
/// - **Noise**: the relative variance of an hour around level × profile (per unit of profile).
/// - **Change point**: after each closed hour, the last up to 36 hours (since the last change point) are split in
///   two; among the splits with |z| >= ``changeZ`` and a level ratio outside [1/1.4, 1.4], the one whose two
///   levels fit the hours best (least squares) restarts the level from the hours after it (a workload that doubled
///   or stopped is not averaged with last week). z is measured against the winsorised hour noise plus the heavy
///   tail the package showed before the hours tested (``tailVariance``): on bursty traffic a 1-2 hour burst is not a
///   new level, while a step on calm traffic is still found in 2-4 hours.
/// - **Trend**: a log-linear fit over the daily levels since the last change point: each day's bytes over the day's
///   share of the current profile (so days measured while the profile was still learning are deseasonalised
///   again); its residuals are the day-to-day spread.
///
/// Input is hostile-safe: times that go backwards are ignored, a counter that goes down (reset, correction, a new
/// package under the key) counts as no traffic, gaps of up to 7 days are spread over their hours by the profile
/// (without teaching the profile), longer gaps restart the level. All byte arithmetic is saturating or in floating
/// point; no input traps.
package struct ForecastFeatures: Sendable, Equatable {
    package static let profileHours = 168
    package static let ringHours = 36
    package static let trendDays = 14
    /// Level time constant, hours.
    package static let levelTau: Double = 96
    package static let longLevelTau: Double = 336
    static let noiseTau: Double = 168
    static let profileAlpha: Float = 0.3

    /// Learning rate of an hour-of-week cell seen again, from the weeks of history behind it: its first value was
    /// learned in the first week against a level still settling (a package bought on a Saturday measures Monday
    /// against a weekend level), so the second week replaces it, the third averages with it, and only then does it
    /// fade at ``profileAlpha`` a week.
    static func profileRate(historyHours: Int32) -> Float {
        let week = max(0, Int(historyHours) - 24) / profileHours
        return week <= 1 ? 1 : max(profileAlpha, 1 / Float(week))
    }
    /// Change-point evidence needed (a z score of the level difference).
    package static let changeZ: Double = 5
    static let changeRatio: Double = 1.4
    /// Spans between two snapshots longer than this are spread over their hours but do not teach the profile.
    static let observedSpan: Double = 3 * 3600
    static let maxGapHours: Int64 = 168

    /// Hour-of-week profile, relative to the level (NaN: never seen). Half precision: what a cell holds (0-50, learned
    /// as an average of noisy hours) needs no more than its 11 significant bits, and the profile was half the bytes of
    /// a package's features. Read it with ``widen(_:)``.
    package internal(set) var profile: [Float16]
    /// The ring of closed hours' deltas (slot: Beijing hour mod ``ringHours``), then the daily bytes (NaN: unknown).
    package internal(set) var buffer: [Float]
    // The 8-byte fields first, the optional and small ones last: no padding between them (184 bytes inline, which
    // the feature store's dictionary holds per package).
    package internal(set) var lastUsedBytes: Int64 = 0
    /// The hour being filled and its bytes so far.
    package internal(set) var openHour: Int64 = 0
    var openBytes: Double = 0
    /// The level (τ = ``levelTau``): decayed bytes over decayed shape. The shape sums are re-expressed in the current
    /// shape table at every closed hour (``decayedShape(table:lastHour:hours:beta:)``), so the level never divides
    /// by shapes of a profile that has since been learned differently.
    var sumBytes: Double = 0
    var sumShape: Double = 0
    var sumShapeSquares: Double = 0
    /// The same with τ = ``longLevelTau``: noisy traffic (bursts, near-idle) is measured over longer.
    var longBytes: Double = 0
    var longShape: Double = 0
    var longShapeSquares: Double = 0
    var noiseVar: Double = 0
    var noiseWeight: Double = 0
    var robustVar: Double = 0
    var profileSum: Double = 0
    var day: Int64 = .min
    var dayBytes: Double = 0
    /// Closed hours with observed traffic (the history the forecast rests on).
    package internal(set) var historyHours: Int32 = 0
    /// Closed hours since the level (re)started.
    package internal(set) var levelHours: Int32 = 0
    /// Seconds since the epoch of the last accepted snapshot; nil before the first.
    package internal(set) var lastObservedAt: Double?
    /// First hour of the current level segment after a detected change (nil: none in the history).
    package internal(set) var changePointHour: Int64?
    var profileCount: Int16 = 0
    var dayHours: Int8 = 0
    var openObserved = true

    package init() {
        profile = [Float16](repeating: .nan, count: Self.profileHours)
        buffer = [Float](repeating: .nan, count: Self.ringHours + Self.trendDays)
        for i in 0..<Self.ringHours { buffer[i] = 0 }
    }

    /// Features folded from `observations` (any order; a repeated or earlier time is ignored once sorted).
    package init(observations: [(at: Date, usedBytes: Int64)]) {
        self.init()
        for o in observations.sorted(by: { $0.at < $1.at }) { update(observedUsedBytes: o.usedBytes, at: o.at) }
    }

    // MARK: Update

    /// Folds one snapshot in. Snapshots must come in time order; an older or equal time is ignored.
    package mutating func update(observedUsedBytes used: Int64, at date: Date) {
        let t = date.timeIntervalSince1970
        guard t.isFinite, abs(t) < 1e11 else { return }
        guard let last = lastObservedAt else {
            lastObservedAt = t
            lastUsedBytes = used
            openHour = BeijingHour.index(t)
            openBytes = 0
            return
        }
        guard t > last else { return }
        let delta = used > lastUsedBytes ? Double(used.saturatingSubtracting(lastUsedBytes)) : 0
        lastUsedBytes = used
        lastObservedAt = t
        let h1 = BeijingHour.index(t)
        if h1 == openHour {
            openBytes += delta
            return
        }
        let gap = h1.saturatingSubtracting(openHour)
        if gap > Self.maxGapHours {
            closeOpenHour()
            restartLevel(at: h1)
            openHour = h1
            openBytes = 0
            openObserved = true
            return
        }
        let observed = t - last <= Self.observedSpan
        // Spread `delta` over [last, t) by time overlap x profile, so a long span follows the day's shape.
        let table = observed ? [] : shapeTable()
        var weights: [Double] = []
        weights.reserveCapacity(Int(gap) + 1)
        var total = 0.0
        for k in 0...gap {
            let h = openHour + k
            let start = max(last, Double(h) * 3600)
            let end = min(t, Double(h + 1) * 3600)
            let w = max(0, end - start) * (observed ? 1 : max(table[BeijingHour.hourOfWeek(h)], 0.02))
            weights.append(w)
            total += w
        }
        for k in 0...gap {
            let share = total > 0 ? delta * weights[Int(k)] / total : delta / Double(gap + 1)
            if k == gap {
                openHour = h1
                openBytes = share
                openObserved = observed
            } else {
                openBytes += share
                if k > 0 { openObserved = observed }
                closeOpenHour()
                openHour += 1
                openBytes = 0
            }
        }
    }

    /// Closes `openHour` with `openBytes`: noise, profile, level, ring, day, then change-point detection.
    private mutating func closeOpenHour() {
        let h = openHour
        let bytes = openBytes.isFinite ? max(0, openBytes) : 0
        let how = BeijingHour.hourOfWeek(h)
        let table = shapeTable()
        let s = table[how]
        let level = currentLevel
        // Neither the first day nor the first hours after a restart teach the noise (nor the profile: see
        // ``learnProfile(at:)``).
        if openObserved, historyHours >= 24, levelHours >= 6, let level, level > 0 {
            // Noise is learned once the profile has two days behind it (earlier residuals are the profile's own error).
            // Only hours of a weekday already seen: an unseen weekend would be profile error, not noise.
            if historyHours >= 72, !profile[how].isNaN, s > 0.05 || bytes > 0 {
                // Relative to the hour's expectation (hours far below the average count as a quarter of it).
                let e = (bytes - s * level) / (level * max(s, 0.25))
                let v = min(e * e, 25)
                let a = noiseWeight == 0 ? 1 : max(1 / Self.noiseTau, 1 / (noiseWeight + 1))
                noiseVar += (v - noiseVar) * a
                // Winsorised at 3 sigma: what change-point tests use, so a step does not hide itself.
                let robust = min(v, 9 * max(robustVar, 0.0004))
                robustVar += (robust - robustVar) * a
                noiseWeight += 1
            }
        }
        let beta = exp(-1 / Self.levelTau)
        // Before any level exists, the first hours teach the level at shape 1.
        sumBytes = sumBytes * beta + bytes
        let unit = level == nil ? 1 : s
        sumShape = sumShape * beta + unit
        sumShapeSquares = sumShapeSquares * beta * beta + unit * unit
        let longBeta = exp(-1 / Self.longLevelTau)
        longBytes = longBytes * longBeta + bytes
        longShape = longShape * longBeta + unit
        longShapeSquares = longShapeSquares * longBeta * longBeta + unit * unit
        levelHours = levelHours &+ 1
        if level != nil {
            // The level's weights in units of the current table: the sums above added each hour's shape as the table
            // was when it closed, so while the profile is learning (the first weeks) the level and the table
            // disagree.
            (sumShape, sumShapeSquares) = Self.decayedShape(table: table, lastHour: h, hours: Int(levelHours), beta: beta)
            (longShape, longShapeSquares) = Self.decayedShape(table: table, lastHour: h, hours: Int(levelHours), beta: longBeta)
        }
        if openObserved { historyHours = historyHours &+ 1 }
        buffer[Self.ringSlot(h)] = Float(min(bytes, 3e38))
        let d = BeijingHour.day(h)
        if d != day {
            finishDay(next: d, table: table)
        }
        dayBytes += bytes
        dayHours &+= 1
        detectChange(at: h, table: table)
        learnProfile(at: h)
    }

    /// Sum over the `hours` hours ending at `lastHour` of beta^age x their shape in `table`, and of beta^(2 age) x
    /// shape^2: the weights of an exponential level as if every hour had been weighted with this table. The hours
    /// repeat weekly, so each of the 168 cells' geometric series is summed in closed form: O(168), four `pow`s.
    static func decayedShape(table: [Double], lastHour: Int64, hours n: Int, beta: Double) -> (sum: Double, squares: Double) {
        let period = profileHours
        guard n > 0 else { return (0, 0) }
        // Cell j (age j, j + 168, ...) holds q + 1 hours for j < r and q hours after, with n = q x 168 + r.
        let q = Double(n / period), r = n % period
        let cycle = pow(beta, Double(period)), cycle2 = cycle * cycle
        let long = (1 - pow(cycle, q + 1)) / (1 - cycle), short = (1 - pow(cycle, q)) / (1 - cycle)
        let long2 = (1 - pow(cycle2, q + 1)) / (1 - cycle2), short2 = (1 - pow(cycle2, q)) / (1 - cycle2)
        var sum = 0.0, squares = 0.0
        var w = 1.0
        var cell = BeijingHour.hourOfWeek(lastHour)
        for j in 0..<min(n, period) {
            let t = table[cell]
            sum += t * w * (j < r ? long : short)
            squares += t * t * w * w * (j < r ? long2 : short2)
            w *= beta
            cell = cell == 0 ? period - 1 : cell - 1
        }
        return (sum, squares)
    }

    /// The ring slot of Beijing hour `h`.
    static func ringSlot(_ h: Int64) -> Int { Int(((h % Int64(ringHours)) + Int64(ringHours)) % Int64(ringHours)) }

    /// `h` as a Float, exactly, by its bits: Swift's conversion is a library call on x86_64 without F16C (~20 ns),
    /// this is a few instructions, and the shape table reads every profile cell twice per call.
    @inline(__always) package static func widen(_ h: Float16) -> Float {
        let bits = UInt32(h.bitPattern)
        let sign = (bits & 0x8000) << 16
        let magnitude = (bits & 0x7fff) << 13
        // Infinity and NaN keep an all-ones exponent; normal and subnormal halves are exact after rescaling by 2^112.
        if bits & 0x7c00 == 0x7c00 { return Float(bitPattern: sign | 0x7f80_0000 | magnitude) }
        return Float(bitPattern: sign | magnitude) * 0x1p112
    }

    /// Hours the profile waits before learning an hour (from the ring): a step is found by the change-point test in
    /// 2-4 hours, so its hours are learned against the new level instead of teaching the profile busy hours.
    static let profileLag: Int64 = 6

    /// Teaches the profile the hour closed ``profileLag`` hours before `h`, relative to the current level. The first
    /// day only sets the level (relative to a level of a few hours the profile would learn noise), nor do the first
    /// hours after a restart (a workload back from zero would teach 50x hours).
    private mutating func learnProfile(at h: Int64) {
        let lag = Self.profileLag
        guard openObserved, Int64(historyHours) >= 24 + lag, Int64(levelHours) >= 6 + lag, let level = currentLevel, level > 0 else { return }
        let hour = h - lag
        let how = BeijingHour.hourOfWeek(hour)
        let bytes = Double(buffer[Self.ringSlot(hour)])
        let x = Float(min(bytes / level, 50))
        let old = Self.widen(profile[how])
        if old.isNaN {
            profile[how] = Float16(x)
            profileSum += Double(Self.widen(profile[how]))
            profileCount += 1
        } else {
            profile[how] = Float16(old + Self.profileRate(historyHours: historyHours - Int32(lag)) * (x - old))
            profileSum += Double(Self.widen(profile[how]) - old)
        }
    }

    /// Pushes the finished Beijing day's bytes into the trend ring and starts day `next`. A day with a few hours
    /// missing is scaled up by the profile to the whole day. The ring keeps bytes, not levels: the trend and the daily
    /// spread deseasonalise them with the profile as it is when they are fitted, so days measured against a profile
    /// still being learned (the first weeks) do not look like day-to-day noise.
    private mutating func finishDay(next: Int64, table: [Double]) {
        if day != .min {
            // The day's seen hours (its last `dayHours`: hours close in order, a gap restarts the day) and the whole
            // day in the same table: a share summed as each hour closed came from tables still learning and scaled
            // whole days by up to 1.2 in the first weeks.
            let whole = Self.dayShape(day, table: table)
            let seen = Self.dayShape(day, table: table, lastHours: Int(dayHours))
            let value: Float = dayHours >= 20 && seen > 2 ? Float(min(dayBytes * whole / seen, 3e38)) : .nan
            let base = Self.ringHours
            let steps = min(max(1, next.saturatingSubtracting(day)), Int64(Self.trendDays))
            for _ in 0..<steps {
                for i in 0..<(Self.trendDays - 1) { buffer[base + i] = buffer[base + i + 1] }
                buffer[base + Self.trendDays - 1] = .nan
            }
            buffer[base + Self.trendDays - Int(steps)] = value
        }
        day = next
        dayBytes = 0
        dayHours = 0
    }

    private mutating func restartLevel(at hour: Int64) {
        sumBytes = 0
        sumShape = 0
        sumShapeSquares = 0
        longBytes = 0
        longShape = 0
        longShapeSquares = 0
        levelHours = 0
        changePointHour = hour
        let base = Self.ringHours
        for i in 0..<Self.trendDays { buffer[base + i] = .nan }
        for i in 0..<Self.ringHours { buffer[i] = 0 }
        day = .min
    }

    // MARK: Change points

    /// Looks for a level shift inside the ring (hours since the last change point only).
    private mutating func detectChange(at h: Int64, table: [Double]) {
        // Not before the profile has a day behind it: a flat profile would see every evening as a step.
        guard historyHours >= 48, let level = currentLevel, level > 0 else { return }
        var n = Int(min(Int64(Self.ringHours), Int64(levelHours)))
        if let c = changePointHour { n = min(n, Int(max(0, h - c + 1))) }
        guard n >= 9 else { return }
        // The winsorised noise (a step's own first hours do not hide it) plus the heavy tail the package has shown
        // before the hours tested (bursts of 1-2 hours are part of its traffic, not a new level; the first hours of
        // a step raise the hour noise at once and are taken out of it again: `vCum`).
        let robust = noiseWeight >= 6 ? max(robustVar, 0.0004) : 0.25
        var dCum = [Double](repeating: 0, count: n + 1)
        var sCum = [Double](repeating: 0, count: n + 1)
        var qCum = [Double](repeating: 0, count: n + 1)
        var ddCum = [Double](repeating: 0, count: n + 1)
        var dsCum = [Double](repeating: 0, count: n + 1)
        // The hour noise as it was before the last i hours: their share of the exponential average taken out again.
        let rate = max(1 / Self.noiseTau, 1 / (noiseWeight + 1))
        var vCum = [Double](repeating: 0, count: n + 1)
        var keep = [Double](repeating: 1, count: n + 1)
        for i in 0..<n {
            let hour = h - Int64(i)
            let sh = table[BeijingHour.hourOfWeek(hour)]
            let d = Double(buffer[Self.ringSlot(hour)]) / level
            dCum[i + 1] = dCum[i] + d * level
            sCum[i + 1] = sCum[i] + sh
            qCum[i + 1] = qCum[i] + sh * sh
            ddCum[i + 1] = ddCum[i] + d * d
            dsCum[i + 1] = dsCum[i] + d * sh
            let e = (d - sh) / max(sh, 0.25)
            vCum[i + 1] = vCum[i] + min(e * e, 25) * rate * keep[i]
            keep[i + 1] = keep[i] * (1 - rate)
        }
        /// Squared error of fitting each side with its own level (in units of the current level): the significant
        /// split with the least of it is where the level changed.
        func sse(_ k: Int) -> Double {
            let qa = qCum[k]
            let qb = qCum[n] - qCum[k]
            let da = dsCum[k]
            let db = dsCum[n] - dsCum[k]
            return ddCum[n] - (qa > 0 ? da * da / qa : 0) - (qb > 0 ? db * db / qb : 0)
        }
        var best: (z: Double, k: Int, sse: Double)?
        for k in 1...(n - 6) {
            let ea = sCum[k]
            let eb = sCum[n] - sCum[k]
            guard ea >= 0.75, eb >= 3 else { continue }
            let a = dCum[k] / ea
            let b = (dCum[n] - dCum[k]) / eb
            let ref = max(a, b)
            guard ref > 0 else { continue }
            let ratio = a / max(b, ref * 1e-6)
            guard ratio > Self.changeRatio || ratio < 1 / Self.changeRatio else { continue }
            // Relative variance of a segment's level: sigma^2 x sum(s^2) / sum(s)^2.
            let va = qCum[k] / (ea * ea)
            let vb = (qCum[n] - qCum[k]) / (eb * eb)
            let tail = noiseWeight >= 6 ? max(0, (noiseVar - vCum[k]) / keep[k] - 2 * robust) : 0
            // Until the hour noise rests on a day of hours (it waits for an hour of the week seen once, so the first
            // week has none), the hours tested also say how noisy they are: the residual of the two-level fit. Six
            // hours of noise between bursts of 3-5x made every burst a step.
            let fit: Double? = noiseWeight >= 24 ? nil : sse(k)
            let unknown = fit.map { $0 / Double(max(n - 2, 1)) / max(qCum[n] / Double(n), 1e-6) } ?? 0
            let sigma = max((robust + tail + unknown).squareRoot(), 0.05)
            let z = abs(a - b) / (sigma * ref * (va + vb).squareRoot())
            if z >= Self.changeZ {
                let e = fit ?? sse(k)
                if e < (best?.sse ?? .infinity) { best = (z, k, e) }
            }
        }
        guard let best else { return }
        // Restart the level from the hours after the split.
        let beta = exp(-1 / Self.levelTau)
        let longBeta = exp(-1 / Self.longLevelTau)
        var sb = 0.0
        var ss = 0.0
        var sq = 0.0
        var lb = 0.0
        var ls = 0.0
        var lq = 0.0
        for i in stride(from: best.k - 1, through: 0, by: -1) {
            let hour = h - Int64(i)
            let sh = table[BeijingHour.hourOfWeek(hour)]
            let bytes = Double(buffer[Self.ringSlot(hour)])
            sb = sb * beta + bytes
            ss = ss * beta + sh
            sq = sq * beta * beta + sh * sh
            lb = lb * longBeta + bytes
            ls = ls * longBeta + sh
            lq = lq * longBeta * longBeta + sh * sh
        }
        // The hours after the split taught the profile against the old level (a doubled workload looked like busy
        // hours): re-learn them against the new one, so the profile does not keep part of the step.
        let newLevel = ss > 0.5 ? sb / ss : 0
        if newLevel > 0 {
            for i in Int(Self.profileLag)..<max(Int(Self.profileLag), best.k) {
                let hour = h - Int64(i)
                let learned = Int(historyHours) - i >= 24 + Int(Self.profileLag) && Int(levelHours) - i >= 6 + Int(Self.profileLag)
                let how = BeijingHour.hourOfWeek(hour)
                guard learned, !profile[how].isNaN else { continue }
                let bytes = Double(buffer[Self.ringSlot(hour)])
                let rate = Double(Self.profileRate(historyHours: historyHours - Int32(i + Int(Self.profileLag))))
                let delta = rate * (min(bytes / newLevel, 50) - min(bytes / level, 50))
                let old = Self.widen(profile[how])
                profile[how] = Float16(Float(max(0, Double(old) + delta)))
                profileSum += Double(Self.widen(profile[how]) - old)
            }
        }
        sumBytes = sb
        sumShape = ss
        sumShapeSquares = sq
        longBytes = lb
        longShape = ls
        longShapeSquares = lq
        levelHours = Int32(best.k)
        changePointHour = h - Int64(best.k) + 1
        let base = Self.ringHours
        for i in 0..<Self.trendDays { buffer[base + i] = .nan }
        day = .min
    }

    // MARK: Estimates

    /// Deseasonalised level: bytes per hour per unit of profile; nil before the first closed hour.
    package var currentLevel: Double? {
        sumShape > 0.5 ? sumBytes / sumShape : (levelHours > 0 ? max(0, sumBytes) / max(sumShape, 1) : nil)
    }

    /// Effective number of hours the level rests on: (sum of weights)^2 / sum of squared weights.
    package var levelWeight: Double { sumShapeSquares > 0 ? sumShape * sumShape / sumShapeSquares : 0 }

    /// The long-τ level and its effective hours.
    package var longLevel: (level: Double, weight: Double)? {
        guard longShape > 0.5, longShapeSquares > 0 else { return nil }
        return (longBytes / longShape, longShape * longShape / longShapeSquares)
    }

    /// Share of the long level in the forecast's level: 0 for calm traffic (relative hour noise <= 0.3), rising to 1
    /// at 0.8 and above, where a short window would mostly measure noise.
    package var longLevelShare: Double {
        guard longLevel != nil else { return 0 }
        return min(max((noiseSigma - 0.3) / 0.5, 0), 1)
    }

    /// Hours of the long level's history, weighted like it (its mean age).
    package var longLevelMeanAge: Double {
        let beta = exp(-1 / Self.longLevelTau)
        let n = Double(levelHours)
        guard n > 0 else { return 0 }
        let bn = pow(beta, n)
        return beta / (1 - beta) - n * bn / (1 - bn)
    }

    /// The part of the hour noise's variance that the 3-sigma winsorised noise misses beyond twice itself: bursts
    /// (hours at several times the level, a few percent of them) that the package has shown over weeks. 0 for
    /// Gaussian-like noise, also in the first hours of a step (they move the full variance by a fraction of the
    /// winsorised one, at 1/``noiseTau`` an hour).
    package var tailVariance: Double { noiseWeight >= 6 ? max(0, noiseVar - 2 * max(robustVar, 0.0004)) : 0 }

    /// Heavy-tail share of the hour noise's variance (0-1).
    package var tailShare: Double { noiseWeight >= 6 && noiseVar > 0 ? min(1, tailVariance / noiseVar) : 0 }

    /// Relative noise of one hour around its expectation.
    package var noiseSigma: Double { noiseWeight >= 6 ? noiseVar.squareRoot() : 0.5 }

    /// Average profile value over the hours seen (the profile's normalisation).
    private var profileMean: Double { profileCount > 0 ? max(profileSum / Double(profileCount), 1e-6) : 1 }

    /// The hour's share of traffic relative to the average hour (1 = average); see ``shapeTable()``.
    package func shape(hour: Int64) -> Double {
        shapeTable()[BeijingHour.hourOfWeek(hour)]
    }

    /// Expected share of every hour of the week (mean 1): hour-of-day profile x day-of-week factor, both averaged
    /// out of the 168 learned hours, so each rests on 7 or 24 of them instead of one (far less noise) while a
    /// quiet weekend or busy office hours still show. Flat before anything is learned.
    ///
    /// Both factors are shrunk toward flat by how much of their spread the hour noise alone would make (positive-part
    /// James-Stein): a learned cell is an average of a few weeks of noisy hours, so on traffic without a real
    /// pattern (bursts, steady noise) the cells differ by noise, and a profile taken at face value would forecast
    /// that noise again. A real pattern (office hours, a quiet weekend, an off-peak window) stands far above it and
    /// is kept whole.
    package func shapeTable() -> [Double] {
        guard profileCount > 0 else { return [Double](repeating: 1, count: Self.profileHours) }
        // Variance of one learned cell relative to its value: the hour noise averaged over the weeks it rests on
        // (a running mean for the first weeks, then exponential with profileAlpha: alpha / (2 - alpha)).
        let weeks = max(1, Double(max(0, Int(historyHours) - 24)) / Double(Self.profileHours))
        let a = Double(Self.profileAlpha)
        let cellVariance = noiseWeight >= 6 ? noiseVar * max(a / (2 - a), 1 / weeks) : 0
        // Day by hour loops (no division per hour) over raw buffers (no captured arrays: no exclusivity checks).
        var table = [Double](repeating: 0, count: Self.profileHours)
        profile.withUnsafeBufferPointer { b in
            table.withUnsafeMutableBufferPointer { t in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 56) { scratch in
                    Self.fillShape(profile: b, table: t, hod: scratch, cellVariance: cellVariance)
                }
            }
        }
        return table
    }

    /// `table` = hour-of-day profile x day-of-week factor, mean 1 (flat when nothing is known), each shrunk toward
    /// flat by `cellVariance` (relative variance of one cell); `hod` is scratch (56).
    private static func fillShape(
        profile b: UnsafeBufferPointer<Float16>, table t: UnsafeMutableBufferPointer<Double>, hod: UnsafeMutableBufferPointer<Double>,
        cellVariance: Double
    ) {
        for i in 0..<56 { hod[i] = 0 }
        for d in 0..<7 {
            for h in 0..<24 {
                let v = widen(b[d * 24 + h])
                if !v.isNaN {
                    hod[h] += Double(max(0, v))
                    hod[24 + h] += 1
                }
            }
        }
        var total = 0.0, count = 0.0
        for h in 0..<24 {
            total += hod[h]
            count += hod[24 + h]
        }
        let overall = total / max(count, 1)
        var spread = 0.0
        for h in 0..<24 {
            hod[h] = hod[24 + h] > 0 ? hod[h] / hod[24 + h] : overall
            spread += (hod[h] - overall) * (hod[h] - overall)
        }
        // Hour of day: each rests on up to 7 cells.
        let perHour = count / 24
        // Within the pattern first: the hours above the mean and those below it, each group shrunk toward its own
        // mean by its cells' noise (relative variance x the group's level^2). The shrink toward flat below cannot
        // remove that noise where a real pattern stands: the pattern's own spread makes its factor ~1, so an
        // off-peak window's 8 hours kept 2.6-3.4 for a true 3 (the hour noise learned that error again, and whole
        // days' spreads were 10-20 % too wide). Traffic without a pattern is split by its noise into two groups
        // whose means differ by noise, and the shrink toward flat still flattens them.
        if cellVariance > 0, perHour > 0 {
            for above in [true, false] {
                var n = 0.0, sum = 0.0
                for h in 0..<24 where (hod[h] > overall) == above {
                    n += 1
                    sum += hod[h]
                }
                guard n >= 3 else { continue }
                let mean = sum / n
                var groupSpread = 0.0
                for h in 0..<24 where (hod[h] > overall) == above { groupSpread += (hod[h] - mean) * (hod[h] - mean) }
                guard groupSpread > 0 else { continue }
                let k = max(0, 1 - n * cellVariance * mean * mean / perHour / groupSpread)
                for h in 0..<24 where (hod[h] > overall) == above { hod[h] = mean + k * (hod[h] - mean) }
            }
            spread = 0
            for h in 0..<24 { spread += (hod[h] - overall) * (hod[h] - overall) }
        }
        if cellVariance > 0, spread > 0, perHour > 0 {
            let noise = 24 * cellVariance * overall * overall / perHour
            let k = max(0, 1 - noise / spread)
            for h in 0..<24 { hod[h] = overall + k * (hod[h] - overall) }
        }
        var dows = 0.0, dowSquares = 0.0, days = 0.0
        for d in 0..<7 {
            var daySum = 0.0, dayWeight = 0.0
            for h in 0..<24 {
                let v = widen(b[d * 24 + h])
                if !v.isNaN {
                    daySum += Double(max(0, v))
                    dayWeight += hod[h]
                }
            }
            let dow = dayWeight > 1e-9 ? daySum / dayWeight : 1
            hod[48 + d] = dow
            hod[24 + d] = dayWeight > 1e-9 ? 1 : 0  // seen (the hour counts in 24..<48 are no longer needed)
            if dayWeight > 1e-9 {
                dows += dow
                dowSquares += dow * dow
                days += 1
            }
        }
        // Day of week: each rests on 24 cells, weighted by the hour-of-day profile: its relative variance is
        // cellVariance x sum(hod^2) / sum(hod)^2, 1/24 of a cell's when flat, 1/8 when 8 hours carry the day (off-peak).
        if cellVariance > 0, days > 1 {
            let mean = dows / days
            var s1 = 0.0, s2 = 0.0
            for h in 0..<24 {
                s1 += hod[h]
                s2 += hod[h] * hod[h]
            }
            let dayVariance = cellVariance * (s1 > 1e-12 ? s2 / (s1 * s1) : 1.0 / 24)
            // Within the pattern first, as for the hours: the days above the mean and those below it (workdays and a
            // weekend), each group shrunk toward its own mean by its days' noise. The weekend's real step made the
            // shrink toward flat keep the workdays' noise: five equal workdays learned 29.5-32.2 (Forecast accuracy
            // run 9), and the level swung with the week (Monday-Wednesday +1.4-2.1 %, Friday -3.6 %).
            func inGroup(_ d: Int, _ above: Bool) -> Bool { hod[24 + d] > 0 && (hod[48 + d] > mean) == above }
            for above in [true, false] {
                var n = 0.0, sum = 0.0
                for d in 0..<7 where inGroup(d, above) {
                    n += 1
                    sum += hod[48 + d]
                }
                guard n >= 2 else { continue }
                let groupMean = sum / n
                var groupSpread = 0.0
                for d in 0..<7 where inGroup(d, above) { groupSpread += (hod[48 + d] - groupMean) * (hod[48 + d] - groupMean) }
                guard groupSpread > 0 else { continue }
                let k = max(0, 1 - n * dayVariance * groupMean * groupMean / groupSpread)
                for d in 0..<7 where inGroup(d, above) { hod[48 + d] = groupMean + k * (hod[48 + d] - groupMean) }
            }
            var spreadDays = 0.0
            for d in 0..<7 where hod[24 + d] > 0 { spreadDays += (hod[48 + d] - mean) * (hod[48 + d] - mean) }
            let noise = days * dayVariance * mean * mean
            let k = spreadDays > 0 ? max(0, 1 - noise / spreadDays) : 0
            for d in 0..<7 { hod[48 + d] = mean + k * (hod[48 + d] - mean) }
        }
        var sum = 0.0
        for d in 0..<7 {
            let dow = hod[48 + d]
            for h in 0..<24 {
                let x = hod[h] * dow
                t[d * 24 + h] = x
                sum += x
            }
        }
        if sum > 1e-12 {
            let scale = Double(profileHours) / sum
            for i in 0..<profileHours { t[i] *= scale }
        } else {
            for i in 0..<profileHours { t[i] = 1 }
        }
    }

    /// Whether every hour of the week has been seen at least once.
    package var hasWeeklyProfile: Bool { profileCount >= Int16(Self.profileHours) }

    /// Daily growth rate (log per day) fitted over the known daily levels, 0 unless at least 4 days are known and the
    /// slope is clearly nonzero; and its standard error.
    package var trend: (perDay: Double, standardError: Double) {
        let fit = trendFit(table: shapeTable())
        return (fit.perDay, fit.standardError)
    }

    /// Day-to-day spread of the deseasonalised daily levels around the trend (log scale); nil under 4 known days.
    /// It measures everything the hourly noise misses (bursts that last, a profile that is off) on the package's own history.
    package var dailySigma: Double? { trendFit(table: shapeTable()).residualSigma }

    /// Sum of the shape table over the 24 hours of Beijing day `d` (the day's expected traffic in level units).
    /// With `lastHours`, over that day's last hours only.
    static func dayShape(_ d: Int64, table: [Double], lastHours: Int = 24) -> Double {
        // Beijing day 0 (1970-01-01) was a Thursday: day of week 3 with Monday 0.
        let first = Int(((d % 7) + 7 + 3) % 7) * 24
        var sum = 0.0
        for h in (24 - min(max(lastHours, 0), 24))..<24 { sum += table[(first + h) % profileHours] }
        return sum
    }

    /// Log-linear fit over the daily levels: the ring's day bytes over the day's shape in `table` (the current one).
    package func trendFit(table: [Double]) -> (perDay: Double, standardError: Double, residualSigma: Double?) {
        let base = Self.ringHours
        var xs: [Double] = []
        var ys: [Double] = []
        // Ring slot i holds Beijing day `day - trendDays + i` (the last slot is yesterday).
        for i in 0..<Self.trendDays {
            let v = buffer[base + i]
            if !v.isNaN, v > 0, day != .min {
                let shape = Self.dayShape(day.saturatingSubtracting(Int64(Self.trendDays - i)), table: table)
                guard shape > 1e-6 else { continue }
                xs.append(Double(i))
                ys.append(log(Double(v) / shape))
            }
        }
        guard xs.count >= 4 else { return (0, 0, nil) }
        let n = Double(xs.count)
        let mx = xs.reduce(0, +) / n
        let my = ys.reduce(0, +) / n
        var sxx = 0.0
        var sxy = 0.0
        for i in xs.indices {
            sxx += (xs[i] - mx) * (xs[i] - mx)
            sxy += (xs[i] - mx) * (ys[i] - my)
        }
        guard sxx > 0 else { return (0, 0, nil) }
        let slope = sxy / sxx
        var ss = 0.0
        for i in xs.indices {
            let r = ys[i] - my - slope * (xs[i] - mx)
            ss += r * r
        }
        let residual = (ss / max(n - 2, 1)).squareRoot()
        let se = (ss / max(n - 2, 1) / sxx).squareRoot()
        let sigma: Double? = residual.isFinite ? residual : nil
        guard slope.isFinite, se.isFinite, abs(slope) > Self.trendCritical[min(xs.count - 2, Self.trendCritical.count - 1)] * se
        else { return (0, se.isFinite ? se : 0, sigma) }
        return (min(max(slope, -0.15), 0.15), se, sigma)
    }

    /// How many standard errors a slope fitted on n days must stand from 0 to count as a trend, by n - 2 (the
    /// residuals' degrees of freedom): Student's t at the level of 2.5 normal standard errors (two-sided 98.8 %). A
    /// flat 2.5 took noise for a trend on a few days (after a change point the ring starts again at 4): bursty
    /// traffic, which has none, was given one in 1 hour in 8, and a trend moves the level by its mean age in days.
    static let trendCritical: [Double] = [.infinity, 51.25, 8.89, 5.40, 4.32, 3.82, 3.53, 3.34, 3.21, 3.11, 3.04, 2.98, 2.94]

    /// Hours the level has accumulated since its last restart, weighted like the level (its mean age in hours).
    package var levelMeanAge: Double {
        let beta = exp(-1 / Self.levelTau)
        let n = Double(levelHours)
        guard n > 0 else { return 0 }
        let bn = pow(beta, n)
        return beta / (1 - beta) - n * bn / (1 - bn)
    }
}
