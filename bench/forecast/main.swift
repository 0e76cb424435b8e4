import Foundation
import TPGWCore

// Backtests the probabilistic forecaster on every synthetic family (SyntheticWorkload) and prints one row per
// family: MdAPE of time-to-exhaustion (true runway <= 7 days), P10-P90 coverage, share of exhaustions warned
// >= 24 h ahead, share of warnings false (true runway > 36 h), with sample counts, and whether each target holds.
// Usage: swift build -c release --product tpgw-bench-forecast && .build/release/tpgw-bench-forecast [packages per family] [seed] [confidence]

let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "trace", let family = SyntheticFamily(rawValue: arguments.dropFirst().first ?? "") {
    trace(family: family, index: arguments.dropFirst(2).first.flatMap(Int.init) ?? 0, seed: 20261202)
    exit(0)
}
if arguments.first == "shape", let family = SyntheticFamily(rawValue: arguments.dropFirst().first ?? "") {
    dumpShape(family: family, index: arguments.dropFirst(2).first.flatMap(Int.init) ?? 0,
              hours: arguments.dropFirst(3).first.flatMap(Int.init) ?? 400, seed: 20261202)
    exit(0)
}
if arguments.first == "days", let family = SyntheticFamily(rawValue: arguments.dropFirst().first ?? "") {
    days(family: family, index: arguments.dropFirst(2).first.flatMap(Int.init) ?? 0, seed: 20261202)
    exit(0)
}
if arguments.first == "terms", let family = SyntheticFamily(rawValue: arguments.dropFirst().first ?? "") {
    terms(family: family, index: arguments.dropFirst(2).first.flatMap(Int.init) ?? 0, seed: 20261202)
    exit(0)
}
if arguments.first == "calibration", let family = SyntheticFamily(rawValue: arguments.dropFirst().first ?? "") {
    calibration(family: family, count: arguments.dropFirst(2).first.flatMap(Int.init) ?? 200, seed: 20261202,
                confidence: arguments.dropFirst(3).first.flatMap(Double.init) ?? 0.9)
    exit(0)
}
if arguments.first == "decompose", let family = SyntheticFamily(rawValue: arguments.dropFirst().first ?? "") {
    decompose(family: family, count: arguments.dropFirst(2).first.flatMap(Int.init) ?? 100, seed: 20261202)
    exit(0)
}
if arguments.first == "bound", let family = SyntheticFamily(rawValue: arguments.dropFirst().first ?? "") {
    oracleBound(family: family, count: arguments.dropFirst(2).first.flatMap(Int.init) ?? 200,
                paths: arguments.dropFirst(3).first.flatMap(Int.init) ?? 2000, seed: 20261202)
    exit(0)
}
if arguments.first == "weekhours", let family = SyntheticFamily(rawValue: arguments.dropFirst().first ?? "") {
    weekHours(family: family, count: arguments.dropFirst(2).first.flatMap(Int.init) ?? 100, seed: 20261202)
    exit(0)
}
if arguments.first == "oracle" {
    oracle(count: arguments.dropFirst().first.flatMap(Int.init) ?? 200,
           paths: arguments.dropFirst(2).first.flatMap(Int.init) ?? 2000, seed: 20261202)
    exit(0)
}
let perFamily = arguments.first.flatMap(Int.init) ?? 200
let seed = arguments.dropFirst().first.flatMap(UInt64.init) ?? 20261202

func percent(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a" }

// Third argument: the alert's confidence (default 0.9, the rule's default: fire on the P10 runway).
let confidence = arguments.dropFirst(2).first.flatMap(Double.init) ?? 0.9
let backtest = ForecastBacktest(horizonHours: 24, confidence: confidence)
let clock = ContinuousClock()
var all: [BacktestSeries] = []
print("| family | packages | points | MdAPE | P10-P90 coverage | exhaustions | warned >= 24 h | warnings | false (> 36 h) | targets |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
var failures = 0
let started = clock.now
for family in SyntheticFamily.allCases {
    let series = SyntheticWorkload.series(family, count: perFamily, seed: seed)
    all += series
    let a = backtest.run(series).overall
    var missed: [String] = []
    if let m = a.mdape, m > 0.10 { missed.append("MdAPE") }
    if let c = a.coverage, c < 0.75 || c > 0.85 { missed.append("coverage") }
    if let w = a.warnedAhead, w < 0.99 { missed.append("warned") }
    if let f = a.falseWarnings, f > 0.02 { missed.append("false") }
    failures += missed.isEmpty ? 0 : 1
    print("| \(family.rawValue) | \(series.count) | \(a.points) | \(percent(a.mdape)) | \(percent(a.coverage)) | \(a.exhaustions) | \(percent(a.warnedAhead)) | \(a.warnings) | \(percent(a.falseWarnings)) | \(missed.isEmpty ? "ok" : "missed: " + missed.joined(separator: ", ")) |")
}
let o = backtest.run(all).overall
print("| **all** | \(all.count) | \(o.points) | \(percent(o.mdape)) | \(percent(o.coverage)) | \(o.exhaustions) | \(percent(o.warnedAhead)) | \(o.warnings) | \(percent(o.falseWarnings)) | |")
let elapsed = clock.now - started
print("")
print("seed \(seed), confidence \(confidence), \(perFamily) packages per family, \(SyntheticWorkload.seriesHours) hours each; elapsed \(elapsed) (both passes)")
exit(failures == 0 ? 0 : 1)
