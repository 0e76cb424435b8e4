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

    @Test func relative_saysInOrAgo() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(HumanFormat.relative(now.addingTimeInterval(3 * 86_400 + 4 * 3_600), now: now) == "in 3 d 4 h")
        #expect(HumanFormat.relative(now.addingTimeInterval(-7_200), now: now) == "2 h ago")
        #expect(HumanFormat.timestamp(Date(timeIntervalSince1970: 1_795_766_400)) == "2026-11-27 08:00 UTC")
        #expect(HumanFormat.timestamp(Date(timeIntervalSince1970: 951_782_400 + 86_399)) == "2000-02-29 23:59 UTC")
        #expect(HumanFormat.timestamp(Date(timeIntervalSince1970: -60)) == "1969-12-31 23:59 UTC")
    }
}
