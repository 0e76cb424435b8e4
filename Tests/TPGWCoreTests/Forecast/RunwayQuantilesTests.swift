import Foundation
import Testing
@testable import TPGWCore

@Suite struct RunwayQuantilesTests {
    let now = d("2026-11-20T00:00:00Z")

    func at(_ hours: Double?) -> Date? { hours.map { now + $0 * hour } }
    func hours(_ date: Date?) -> Double? { date.map { ($0.timeIntervalSince(now) / hour * 1000).rounded() / 1000 } }

    /// The runway at quantile q, in hours, from quantiles given in hours (nil: never runs out).
    func runway(_ q: Double, p10: Double?, p50: Double?, p90: Double?, tail: [Double?]? = nil) -> Double? {
        let t = tail.map { RunwayTail(p005: at($0[0]), p01: at($0[1]), p025: at($0[2]), p05: at($0[3])) }
        return hours(RunwayQuantiles.at(quantile: q, p10: at(p10), p50: at(p50), p90: at(p90), tail: t, now: now))
    }

    @Test(arguments: [
        // (q, expected hours): every quantile held is returned exactly.
        (0.005, 20.0), (0.01, 22.0), (0.025, 30.0), (0.05, 40.0), (0.1, 41.0), (0.5, 44.0), (0.9, 47.0),
    ])
    func heldQuantiles_areExact(_ q: Double, _ expected: Double) {
        #expect(runway(q, p10: 41, p50: 44, p90: 47, tail: [20, 22, 30, 40]) == expected)
    }

    @Test func anOffPeakRunway_thatJumpsAWindow_isNotExtrapolatedFromP10() throws {
        // Runs out at the end of tonight's window (22 h) with 1 %, else in the next one (40-47 h). From P10 and P50
        // alone, log-normal in time, P1 would be ~36 h: the rule at 0.99 would not fire.
        let withTail = try #require(runway(0.01, p10: 41, p50: 44, p90: 47, tail: [20, 22, 30, 40]))
        let guessed = try #require(runway(0.01, p10: 41, p50: 44, p90: 47))
        #expect(withTail == 22)
        #expect(guessed > 35)
        // Between two held quantiles: between them, on the log runway.
        let between = try #require(runway(0.02, p10: 41, p50: 44, p90: 47, tail: [20, 22, 30, 40]))
        #expect(between > 22 && between < 30)
    }

    @Test func withoutTail_theThreeQuantilesBehaveAsBefore() throws {
        // P10 and P50 exactly; P5 beyond P10 on the same log-normal slope; P95 beyond P90.
        #expect(runway(0.1, p10: 20, p50: 30, p90: 45) == 20)
        let p5 = try #require(runway(0.05, p10: 20, p50: 30, p90: 45))
        let slope = log(20.0 / 30) / -NormalQuantile.z90
        #expect(abs(p5 - 30 * exp(slope * NormalQuantile.z(0.05))) < 0.01)
        #expect(try #require(runway(0.95, p10: 20, p50: 30, p90: 45)) > 45)
    }

    @Test(arguments: [
        // (q, p10, p50, p90, expected): a quantile beyond the last one that runs out does not run out either.
        (0.05, 20.0 as Double?, nil as Double?, nil as Double?, 20.0 as Double?),  // before the only one that runs out: it
        (0.3, 20.0, nil, nil, nil),
        (0.95, 20.0, 30.0, nil, nil),
        (0.5, nil, nil, nil, nil),
    ])
    func quantilesThatNeverRunOut(_ q: Double, _ p10: Double?, _ p50: Double?, _ p90: Double?, _ expected: Double?) {
        #expect(runway(q, p10: p10, p50: p50, p90: p90) == expected)
    }

    @Test func tailThatRunsOut_withAMedianThatNeverDoes_stopsAtTheLastKnown() {
        // P1 runs out, P2.5 and later do not (within the horizon): P2 does not either.
        #expect(runway(0.02, p10: nil, p50: nil, p90: nil, tail: [10, 12, nil, nil]) == nil)
        #expect(runway(0.008, p10: nil, p50: nil, p90: nil, tail: [10, 12, nil, nil]).map { $0 > 10 && $0 < 12 } == true)
    }
}
