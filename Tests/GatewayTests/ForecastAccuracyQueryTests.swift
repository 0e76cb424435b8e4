import Foundation
import Testing
import TPGWCore
@testable import TPGWGateway

@Suite struct ForecastAccuracyQueryTests {
    @Test(arguments: [
        ("", 14, 24), ("days=1", 1, 24), ("days=28", 28, 24), ("horizon=1h", 14, 1), ("horizon=168h", 14, 168), ("horizon=48", 14, 48),
        ("horizon=2d", 14, 48), ("horizon=7d", 14, 168), ("days=7&horizon=12h", 7, 12),
    ])
    func valid_isParsed(_ query: String, _ days: Int, _ hours: Int) throws {
        let q = try ForecastAccuracyQuery(queryItems: PercentCoding.queryItems(query))
        #expect(q == ForecastAccuracyQuery(days: days, horizonHours: hours))
    }

    @Test(arguments: [("confidence=0.5", 0.5), ("confidence=0.99", 0.99), ("confidence=0.95", 0.95), ("confidence=0.7500000000000001", 0.7500000000000001)])
    func confidence_isParsed(_ query: String, _ confidence: Double) throws {
        let q = try ForecastAccuracyQuery(queryItems: PercentCoding.queryItems(query))
        #expect(q == ForecastAccuracyQuery(confidence: confidence))
    }

    @Test(arguments: [
        ("days=0", "days"), ("days=29", "days"), ("days=-1", "days"), ("days=1.5", "days"), ("days=", "days"),
        ("horizon=0h", "horizon"), ("horizon=169h", "horizon"), ("horizon=8d", "horizon"), ("horizon=024h", "horizon"),
        ("horizon=h", "horizon"), ("horizon=24m", "horizon"), ("horizon=99999999999999999999h", "horizon"), ("depth=2", "depth"),
        ("confidence=0.49", "confidence"), ("confidence=1", "confidence"), ("confidence=nan", "confidence"), ("confidence=inf", "confidence"),
        ("confidence=", "confidence"), ("confidence=0.9x", "confidence"), ("confidence=" + String(repeating: "9", count: 400), "confidence"),
    ])
    func invalid_is422_namingTheField(_ query: String, _ field: String) {
        #expect {
            try ForecastAccuracyQuery(queryItems: PercentCoding.queryItems(query))
        } throws: { error in
            guard let e = error as? AppError else { return false }
            return e.code == .validationFailed && e.fieldErrors.map(\.field) == [field]
        }
    }
}
