import Foundation
import Testing
@testable import TPGWCore

@Suite struct RFC3339Tests {
    @Test(arguments: validCases)
    func parsesValidTimestamps(input: String, expected: Double) {
        #expect(RFC3339.parse(input)?.timeIntervalSince1970 == expected)
    }

    static let validCases: [(String, Double)] = [
        ("2021-04-10T11:40:57Z", 1618054857.0),
        ("1970-01-01T00:00:00Z", 0.0),
        ("2021-04-10T19:40:57+08:00", 1618054857.0),
        ("2024-02-29T23:59:59.5Z", 1709251199.5),
    ]

    @Test(arguments: ["", "2021-04-10", "2021-13-10T11:40:57Z", "2021-04-10T11:40:57", "2021-04-10T11:40:57Zjunk", "abcd-04-10T11:40:57Z"])
    func rejectsMalformedTimestamps(input: String) {
        #expect(RFC3339.parse(input) == nil)
    }

    @Test func formatsRoundTrip() {
        let d = Date(timeIntervalSince1970: 1618054857)
        #expect(RFC3339.format(d) == "2021-04-10T11:40:57Z")
        #expect(RFC3339.parse(RFC3339.format(d)) == d)
    }
}
