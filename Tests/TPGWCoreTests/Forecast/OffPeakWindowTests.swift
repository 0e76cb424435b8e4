import Foundation
import Testing
@testable import TPGWCore

@Suite struct OffPeakWindowTests {
    @Test(arguments: [
        ("2026-11-22T15:59:59Z", false), ("2026-11-22T16:00:00Z", true), ("2026-11-22T23:59:59Z", true),
        ("2026-11-23T00:00:00Z", false), ("2026-11-23T07:59:59Z", false),
    ])
    func contains_isTrueOnlyBetweenMidnightAndEightBeijingTime(_ at: String, _ expected: Bool) {
        #expect(OffPeakWindow.contains(d(at)) == expected)
    }

    @Test(arguments: [
        ("2026-11-22T12:00:00Z", "2026-11-23T12:00:00Z", 8.0),
        ("2026-11-22T16:00:00Z", "2026-11-22T20:00:00Z", 4.0),
        ("2026-11-22T20:00:00Z", "2026-11-23T04:00:00Z", 4.0),
        ("2026-11-22T00:00:00Z", "2026-11-22T16:00:00Z", 0.0),
        ("2026-11-22T18:00:00Z", "2026-11-25T17:00:00Z", 6.0 + 8 + 8 + 1),
        ("2026-11-23T00:00:00Z", "2026-11-22T00:00:00Z", 0.0),
    ])
    func windowSeconds_countsOnlyWindowTime(_ from: String, _ to: String, _ hours: Double) {
        #expect(OffPeakWindow.windowSeconds(from: d(from), to: d(to)) == hours * hour)
    }

    @Test(arguments: [
        ("2026-11-22T12:00:00Z", 1.0, "2026-11-22T17:00:00Z"),
        ("2026-11-22T12:00:00Z", 8.0, "2026-11-23T00:00:00Z"),
        ("2026-11-22T20:00:00Z", 6.0, "2026-11-23T18:00:00Z"),
        ("2026-11-22T12:00:00Z", 9.0, "2026-11-23T17:00:00Z"),
        ("2026-11-22T16:00:00Z", 0.0, "2026-11-22T16:00:00Z"),
        ("2026-11-22T12:00:00Z", 92.0, "2026-12-03T20:00:00Z"),
    ])
    func advance_walksWindowHoursOnly(_ from: String, _ hours: Double, _ expected: String) {
        #expect(OffPeakWindow.advance(from: d(from), windowSeconds: hours * hour) == d(expected))
    }

    @Test func segment_endsAtTheNextWindowBoundary() {
        #expect(OffPeakWindow.segment(at: d("2026-11-22T08:00:00Z")) == (false, d("2026-11-22T16:00:00Z")))
        #expect(OffPeakWindow.segment(at: d("2026-11-22T16:00:00Z")) == (true, d("2026-11-23T00:00:00Z")))
    }
}

/// A configured window (Tencent's hours are configurable), including one that crosses UTC midnight.
@Suite struct ConfiguredOffPeakWindowTests {
    /// 23:00-07:00 at UTC+8 = 15:00-23:00 UTC; 22:00-06:00 at UTC+0 crosses UTC midnight.
    let beijingNight = OffPeakWindow(startMinute: 23 * 60, endMinute: 7 * 60, utcOffsetMinutes: 8 * 60)
    let utcNight = OffPeakWindow(startMinute: 22 * 60, endMinute: 6 * 60, utcOffsetMinutes: 0)

    @Test func baiduWindow_isTheDefault() {
        #expect(OffPeakWindow(startMinute: 0, endMinute: 8 * 60, utcOffsetMinutes: 8 * 60) == .bce)
        #expect(OffPeakWindow.bce.description == "16:00-00:00 UTC")
        #expect(utcNight.description == "22:00-06:00 UTC")
    }

    @Test(arguments: [
        ("2026-11-22T21:59:59Z", false), ("2026-11-22T22:00:00Z", true), ("2026-11-23T00:00:00Z", true),
        ("2026-11-23T05:59:59Z", true), ("2026-11-23T06:00:00Z", false),
    ])
    func windowAcrossUTCMidnight_contains(_ at: String, _ expected: Bool) {
        #expect(utcNight.contains(d(at)) == expected)
    }

    @Test func windowAcrossUTCMidnight_countsAdvancesAndSegments() {
        #expect(utcNight.windowSeconds(from: d("2026-11-22T12:00:00Z"), to: d("2026-11-23T12:00:00Z")) == 8 * hour)
        #expect(utcNight.windowSeconds(from: d("2026-11-22T23:00:00Z"), to: d("2026-11-23T01:00:00Z")) == 2 * hour)
        #expect(utcNight.advance(from: d("2026-11-22T12:00:00Z"), windowSeconds: 3 * hour) == d("2026-11-23T01:00:00Z"))
        #expect(utcNight.advance(from: d("2026-11-22T12:00:00Z"), windowSeconds: 8 * hour) == d("2026-11-23T06:00:00Z"))
        #expect(utcNight.advance(from: d("2026-11-22T12:00:00Z"), windowSeconds: 9 * hour) == d("2026-11-23T23:00:00Z"))
        #expect(utcNight.segment(at: d("2026-11-22T12:00:00Z")) == (false, d("2026-11-22T22:00:00Z")))
        #expect(utcNight.segment(at: d("2026-11-23T01:00:00Z")) == (true, d("2026-11-23T06:00:00Z")))
        #expect(beijingNight.contains(d("2026-11-22T15:00:00Z")) && !beijingNight.contains(d("2026-11-22T23:00:00Z")))
    }
}
