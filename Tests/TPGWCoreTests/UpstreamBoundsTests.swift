import Foundation
import Testing
@testable import TPGWCore

@Suite struct UpstreamBoundsTests {
    /// The bounds both clouds' decoders apply are the ones README.md states: 1 EiB, 2000-01-01 up to 2200-01-01 UTC,
    /// 128-byte ids.
    @Test func bounds_areTheDocumentedOnes() throws {
        #expect(UpstreamBounds.maxBytes == 1024 * 1024 * 1024 * 1024 * 1024 * 1024)
        #expect(UpstreamBounds.dates.lowerBound == RFC3339.parse("2000-01-01T00:00:00Z"))
        #expect(UpstreamBounds.dates.upperBound == RFC3339.parse("2200-01-01T00:00:00Z"))
        #expect(UpstreamBounds.maxIDLength == 128)
        #expect(UpstreamBounds.idTooLongReason == "longer than 128 bytes")
    }
}
