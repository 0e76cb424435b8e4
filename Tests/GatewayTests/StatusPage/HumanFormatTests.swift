import Foundation
import Testing

@testable import TPGWGateway

@Suite struct HumanFormatTests {
    static let gib = 1_073_741_824.0
    static let byteCases: [(Double, String)] = [
        (0, "0 B"), (512, "512 B"), (1536, "1.5 KiB"), (10 * gib, "10 GiB"), (1536 * gib, "1.5 TiB"),
        (1024 * 1024 * gib, "1 PiB"), (123 * gib + 1, "123 GiB"), (52_428_800, "50 MiB"),
    ]

    @Test(arguments: byteCases)
    func bytes_useBinaryUnits(value: Double, text: String) {
        #expect(HumanFormat.bytes(value) == text)
    }

    static let durationCases: [(Double, String)] = [
        (30, "< 1 min"), (720, "12 min"), (19_200, "5 h 20 min"), (273_600, "3 d 4 h"), (86_400, "1 d"), (1_296_000, "15 d"),
    ]

    @Test(arguments: durationCases)
    func duration_showsTwoLargestUnits(seconds: Double, text: String) {
        #expect(HumanFormat.duration(seconds) == text)
    }

    /// The runway with its range: median, then P10 - P90; a P90 that never runs out says so; no P10: the median alone.
    @Test func runway_showsTheRangeBesideTheMedian() {
        let now = Date(timeIntervalSince1970: 1_732_262_400)
        func at(_ d: Double, _ h: Double) -> Date { now.addingTimeInterval(d * 86_400 + h * 3_600) }
        #expect(HumanFormat.runway(at(2, 4), p10: at(1, 20), p90: at(2, 9), now: now) == "in 2 d 4 h (1 d 20 h - 2 d 9 h)")
        #expect(HumanFormat.runway(at(2, 4), p10: at(1, 20), p90: nil, now: now) == "in 2 d 4 h (1 d 20 h - never)")
        #expect(HumanFormat.runway(at(2, 4), p10: nil, p90: nil, now: now) == "in 2 d 4 h")
    }

    @Test func relative_saysInOrAgo() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(HumanFormat.relative(now.addingTimeInterval(3 * 86_400 + 4 * 3_600), now: now) == "in 3 d 4 h")
        #expect(HumanFormat.relative(now.addingTimeInterval(-7_200), now: now) == "2 h ago")
        #expect(HumanFormat.timestamp(Date(timeIntervalSince1970: 1_795_766_400)) == "2026-11-27 08:00 UTC")
        #expect(HumanFormat.timestamp(Date(timeIntervalSince1970: 951_782_400 + 86_399)) == "2000-02-29 23:59 UTC")
        #expect(HumanFormat.timestamp(Date(timeIntervalSince1970: -60)) == "1969-12-31 23:59 UTC")
    }
}
