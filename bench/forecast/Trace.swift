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
        print("\(i) \(RFC3339.format(now)) d=\(delta / 1_000_000)M true=\(h(exhausted)) p10=\(h(f.exhaustsAtP10)) p50=\(h(f.exhaustsAt)) p90=\(h(f.exhaustsAtP90)) lvl=\(Int((features.currentLevel ?? 0) / 1e6))M sig=\(String(format: "%.3f", features.noiseSigma)) tr=\(String(format: "%.4f", features.trend.perDay)) \(f.basis?.model ?? "") cp=\(features.changePointHour.map { String($0) } ?? "-") \(mark)")
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
    for d in 0..<7 { print((0..<24).map { String(format: "%.2f", features.buffer[d * 24 + $0]) }.joined(separator: " ")) }
}
