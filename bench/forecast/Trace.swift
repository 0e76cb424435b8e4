import Foundation
import TPGWCore

/// `tpgw-bench-forecast trace <family> <index>`: prints every scored hour of one synthetic package (debugging aid).
func trace(family: SyntheticFamily, index: Int, seed: UInt64) {
    let s = SyntheticWorkload.series(family, count: index + 1, seed: seed)[index]
    var features = ForecastFeatures()
    let exhausted = s.exhaustedAt
    print("capacity \(s.capacityBytes) exhausted \(exhausted.map { RFC3339.format($0) } ?? "never") scored \(String(describing: s.scored))")
    let rule = ExhaustionHysteresis(withinHours: 24, confidence: 0.9)
    var firing = false
    for i in s.usedBytes.indices {
        let now = s.start.addingTimeInterval(Double(i) * 3600)
        features.update(observedUsedBytes: s.usedBytes[i], at: now)
        if s.usedBytes[i] >= s.capacityBytes { break }
        guard i >= 168 else { continue }
        let state = PackageState(
            key: s.key, policy: s.policy, status: .active, capacityBytes: s.capacityBytes, usedBytes: s.usedBytes[i],
            createdAt: s.createdAt, activatedAt: s.createdAt, expiresAt: s.expiresAt, observedAt: now)
        let f = ProbabilisticForecaster.forecast(package: state, features: features, now: now)
        func h(_ d: Date?) -> String { d.map { String(format: "%6.1f", $0.timeIntervalSince(now) / 3600) } ?? "   -  " }
        let delta = i > 0 ? s.usedBytes[i] - s.usedBytes[i - 1] : 0
        let r = rule.runways(f, expiresAt: s.expiresAt, now: now)
        var mark = ""
        if !firing, rule.breaches(r) { firing = true; mark = "FIRE" } else if firing, !rule.holds(r) { firing = false; mark = "RESOLVE" }
        print("\(i) \(RFC3339.format(now)) d=\(delta / 1_000_000)M true=\(h(exhausted)) p10=\(h(f.exhaustsAtP10)) p50=\(h(f.exhaustsAt)) p90=\(h(f.exhaustsAtP90)) lvl=\(Int((features.currentLevel ?? 0) / 1e6))M sig=\(String(format: "%.3f", features.noiseSigma)) tr=\(String(format: "%.4f", features.trend.perDay)) ds=\(String(format: "%.3f", features.dailySigma ?? -1)) w=\(String(format: "%.2f", features.longLevelShare)) tail=\(String(format: "%.2f", features.tailShare)) \(f.basis?.model ?? "") cp=\(features.changePointHour.map { String($0) } ?? "-") \(mark)")
    }
}

/// `tpgw-bench-forecast shape <family> <index> <hours>`: the learned shape table after `hours`.
func dumpShape(family: SyntheticFamily, index: Int, hours: Int, seed: UInt64) {
    let s = SyntheticWorkload.series(family, count: index + 1, seed: seed)[index]
    var features = ForecastFeatures()
    for i in 0..<min(hours, s.usedBytes.count) {
        features.update(observedUsedBytes: s.usedBytes[i], at: s.start.addingTimeInterval(Double(i) * 3600))
    }
    let t = features.shapeTable()
    for d in 0..<7 { print((0..<24).map { String(format: "%.2f", t[d * 24 + $0]) }.joined(separator: " ")) }
    print("raw:")
    for d in 0..<7 { print((0..<24).map { String(format: "%.2f", ForecastFeatures.widen(features.profile[d * 24 + $0])) }.joined(separator: " ")) }
}

/// `tpgw-bench-forecast calibration <family> [count]`: tail shares by true-runway bucket (below P10, above P90) and every
/// false or missed warning with the quantiles at the time (tuning aid).
func calibration(family: SyntheticFamily, count: Int, seed: UInt64, confidence: Double = 0.9) {
    let buckets: [Double] = [6, 12, 18, 24, 30, 36, 48, 72, 96, 120, 168]
    var below = [Int](repeating: 0, count: buckets.count)
    var above = [Int](repeating: 0, count: buckets.count)
    var total = [Int](repeating: 0, count: buckets.count)
    // Standardised log error of the forecast demand over the true runway: log(remaining / median demand) / sigma,
    // N(0, 1) when calibrated (byte space: no snapping of quantile times to an off-peak window's edges).
    var zSum = [Double](repeating: 0, count: buckets.count)
    var zSquares = [Double](repeating: 0, count: buckets.count)
    var sigmaSum = [Double](repeating: 0, count: buckets.count)
    var zInside = [Int](repeating: 0, count: buckets.count)
    let rule = ExhaustionHysteresis(withinHours: 24, confidence: confidence)
    for (index, s) in SyntheticWorkload.series(family, count: count, seed: seed).enumerated() {
        var features = ForecastFeatures()
        let exhausted = s.exhaustedAt
        var firing = false
        var warned = false
        for i in s.usedBytes.indices {
            let now = s.start.addingTimeInterval(Double(i) * 3600)
            features.update(observedUsedBytes: s.usedBytes[i], at: now)
            if s.usedBytes[i] >= s.capacityBytes { break }
            guard i >= 168 else { continue }
            let state = PackageState(
                key: s.key, policy: s.policy, status: .active, capacityBytes: s.capacityBytes, usedBytes: s.usedBytes[i],
                createdAt: s.createdAt, activatedAt: s.createdAt, expiresAt: s.expiresAt, observedAt: now)
            let f = ProbabilisticForecaster.forecast(package: state, features: features, now: now, offPeak: s.offPeak)
            let trueHours = exhausted.map { $0.timeIntervalSince(now) / 3600 }
            func h(_ d: Date?) -> String { d.map { String(format: "%.1f", $0.timeIntervalSince(now) / 3600) } ?? "-" }
            if let t = trueHours, t > 0, t <= 168, s.scored?.contains(i) ?? true, let b = buckets.firstIndex(where: { t <= $0 }) {
                total[b] += 1
                if let p10 = f.exhaustsAtP10, exhausted! < p10 { below[b] += 1 }
                if let p90 = f.exhaustsAtP90, exhausted! > p90 { above[b] += 1 }
                if let curve = ProbabilisticForecaster.curve(features: features, policy: s.policy, start: now, now: now, offPeak: s.offPeak) {
                    let mid = curve.drawn(throughHours: t, z: 0)
                    let up = curve.drawn(throughHours: t, z: 1)
                    let remaining = Double(s.capacityBytes - s.usedBytes[i])
                    if mid > 0, up > mid, remaining > 0 {
                        let sigma = log(up / mid)
                        let z = log(remaining / mid) / sigma
                        zSum[b] += z
                        zSquares[b] += z * z
                        sigmaSum[b] += sigma
                        if abs(z) <= NormalQuantile.z90 { zInside[b] += 1 }
                    }
                }
            }
            let r = rule.runways(f, expiresAt: s.expiresAt, now: now)
            if !firing, rule.breaches(r) {
                firing = true
                if (trueHours ?? .infinity) > 36 {
                    let tf = features.trendFit(table: features.shapeTable())
                    print("false \(index) i=\(i) how=\(BeijingHour.hourOfWeek(BeijingHour.index(now.timeIntervalSince1970))) true=\(trueHours.map { String(format: "%.1f", $0) } ?? "never") p10=\(h(f.exhaustsAtP10)) p50=\(h(f.exhaustsAt)) p90=\(h(f.exhaustsAtP90))" + String(format: " g=%.3f se=%.3f day=%.3f noise=%.2f long=%.2f lh=%d", tf.perDay, tf.standardError, tf.residualSigma ?? -1, features.noiseSigma, features.longLevelShare, Int(features.levelHours)) + String(format: " tail=%.2f", features.tailShare))
                }
            } else if firing, !rule.holds(r) {
                firing = false
                print("resolve \(index) i=\(i) how=\(BeijingHour.hourOfWeek(BeijingHour.index(now.timeIntervalSince1970))) true=\(trueHours.map { String(format: "%.1f", $0) } ?? "never") p10=\(h(f.exhaustsAtP10)) p50=\(h(f.exhaustsAt)) hold=\(String(format: "%.1f", r.hold)) fire=\(String(format: "%.1f", r.fire))")
            }
            if let t = trueHours, t < 25, t >= 24 {
                warned = firing
                if !firing {
                    print("missed \(index) i=\(i) how=\(BeijingHour.hourOfWeek(BeijingHour.index(now.timeIntervalSince1970))) true=\(String(format: "%.1f", t)) p10=\(h(f.exhaustsAtP10)) p50=\(h(f.exhaustsAt)) p90=\(h(f.exhaustsAtP90))")
                }
            }
        }
        _ = warned
    }
    for b in buckets.indices where total[b] > 0 {
        let n = Double(total[b])
        let mean = zSum[b] / n
        print(String(format: "runway <= %3.0f h: %6d points, below P10 %5.1f%%, above P90 %5.1f%%, covered %5.1f%% (in demand %5.1f%%); demand z mean %+.2f sd %.2f, sigma %.4f", buckets[b], total[b],
                     100 * Double(below[b]) / Double(total[b]), 100 * Double(above[b]) / Double(total[b]),
                     100 * Double(total[b] - below[b] - above[b]) / Double(total[b]), 100 * Double(zInside[b]) / n, mean, (max(0, zSquares[b] / n - mean * mean)).squareRoot(), sigmaSum[b] / n))
    }
}

/// `tpgw-bench-forecast terms <family> <index>`: the spread's terms every 24 hours of one package (debugging aid).
func terms(family: SyntheticFamily, index: Int, seed: UInt64) {
    let s = SyntheticWorkload.series(family, count: index + 1, seed: seed)[index]
    var features = ForecastFeatures()
    for i in s.usedBytes.indices {
        let now = s.start.addingTimeInterval(Double(i) * 3600)
        features.update(observedUsedBytes: s.usedBytes[i], at: now)
        if s.usedBytes[i] >= s.capacityBytes { break }
        guard i >= 168, i % 24 == 0, let c = ProbabilisticForecaster.curve(features: features, policy: s.policy, start: now, now: now, offPeak: s.offPeak) else { continue }
        let sig = [24.0, 72, 168].map { h in String(format: "%.4f", log(c.drawn(throughHours: h, z: 1) / c.drawn(throughHours: h, z: 0))) }
        print(String(format: "%d floor %.6f level %.6f noise %.5f day %.6f trendSE %.5f lh %.0f lw %.1f", i, c.sigmaFloor2, c.sigmaLevel2, c.sigmaNoise2, c.sigmaDay2, c.trendSE, Double(features.levelHours), features.levelWeight), "sigma 24/72/168:", sig.joined(separator: " "))
    }
}

/// `tpgw-bench-forecast days <family> <index>`: each Beijing day's bytes in the series and in the features' daily ring.
func days(family: SyntheticFamily, index: Int, seed: UInt64) {
    let s = SyntheticWorkload.series(family, count: index + 1, seed: seed)[index]
    var features = ForecastFeatures()
    for i in 0..<min(500, s.usedBytes.count) { features.update(observedUsedBytes: s.usedBytes[i], at: s.start.addingTimeInterval(Double(i) * 3600)) }
    let ring = features.buffer[ForecastFeatures.ringHours...].map { String(format: "%.3f", Double($0) / 1e9) }
    print("ring (GB):", ring.joined(separator: " "))
    var totals: [Double] = []
    var current = 0.0
    var day = BeijingHour.day(BeijingHour.index(s.start.timeIntervalSince1970))
    for i in 0..<min(500, s.usedBytes.count - 1) {
        let h = BeijingHour.index(s.start.timeIntervalSince1970) + Int64(i)
        if BeijingHour.day(h) != day { totals.append(current); current = 0; day = BeijingHour.day(h) }
        current += Double(s.usedBytes[i + 1] - s.usedBytes[i])
    }
    print("true (GB): ", totals.suffix(14).map { String(format: "%.3f", $0 / 1e9) }.joined(separator: " "))
    let logs = totals.dropFirst().dropLast().map { log($0) }
    let m = logs.reduce(0, +) / Double(logs.count)
    print(String(format: "true daily log sd %.4f; model dailySigma %.4f", (logs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(logs.count - 1)).squareRoot(), features.dailySigma ?? -1))
}
