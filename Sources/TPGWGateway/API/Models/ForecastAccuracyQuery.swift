import Foundation
import TPGWCore

/// The parameters of a forecast backtest (`GET /v1/forecast/accuracy?days=&horizon=&confidence=`, `tpgw forecast
/// backtest --days --horizon --confidence`): how many past days are scored, the warning horizon and the confidence of
/// the replayed `exhaustion` rule (so a user can see, on their own traffic, what a higher confidence buys in earlier
/// warnings and costs in false ones). Bounded, so a request's work is.
package struct ForecastAccuracyQuery: Sendable, Equatable {
    /// Days of history scored (1...28, default 14).
    package var days = 14
    /// The horizon an `exhaustion` warning must come ahead by, in hours (1...168, default 24).
    package var horizonHours = 24
    /// The replayed `exhaustion` rule's confidence (`AlertRule.confidenceRange`, default 0.9: fires on the P10 runway).
    package var confidence = AlertRule.defaultConfidence

    package static let daysRange = 1...28
    package static let horizonRange = 1...168

    package init(days: Int = 14, horizonHours: Int = 24, confidence: Double = AlertRule.defaultConfidence) {
        self.days = days
        self.horizonHours = horizonHours
        self.confidence = confidence
    }

    /// Parses query items (`days`, `horizon`); every problem is a field error (422).
    package init(queryItems: [(name: String, value: String)]) throws(AppError) {
        var errors: [AppError.FieldError] = []
        for (name, value) in queryItems {
            switch name {
            case "days":
                if let d = Int(value), Self.daysRange.contains(d) { days = d } else { errors.append(.init(field: "days", message: "must be a whole number of days from 1 to 28")) }
            case "horizon":
                if let h = Self.hours(value) { horizonHours = h } else { errors.append(.init(field: "horizon", message: Self.horizonMessage)) }
            case "confidence":
                if let c = Self.confidence(value) { confidence = c } else { errors.append(.init(field: "confidence", message: Self.confidenceMessage)) }
            default:
                errors.append(.init(field: name, message: "unknown parameter"))
            }
        }
        if !errors.isEmpty { throw AppError(.validationFailed, "invalid query", fieldErrors: errors) }
    }

    package static let horizonMessage = "must be whole hours or days from 1h to 168h (e.g. 24h, 2d)"
    package static let confidenceMessage =
        "must be a probability from \(AlertRule.confidenceRange.lowerBound) to \(AlertRule.confidenceRange.upperBound) (e.g. 0.95)"

    /// A number in `AlertRule.confidenceRange` (`0.9`, `0.95`, `0.95000001`); nil otherwise (not a number, nan, out of range).
    package static func confidence(_ text: String) -> Double? {
        guard text.utf8.count <= 32, let c = Double(text), c.isFinite, AlertRule.confidenceRange.contains(c) else { return nil }
        return c
    }

    /// `24h`, `2d` or `24` as whole hours in 1...168; nil otherwise (`^([1-9][0-9]?|1[0-5][0-9]|16[0-8])h?$|^[1-7]d$`).
    package static func hours(_ text: String) -> Int? {
        guard text.utf8.count <= 8 else { return nil }
        var digits = Substring(text)
        var factor = 1
        if digits.hasSuffix("h") {
            digits = digits.dropLast()
        } else if digits.hasSuffix("d") {
            digits = digits.dropLast()
            factor = 24
        }
        // Digits only, no sign, no leading zero (the pattern openapi.yaml documents).
        guard !digits.isEmpty, digits.first != "0", digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else { return nil }
        let (h, overflow) = n.multipliedReportingOverflow(by: factor)
        return !overflow && horizonRange.contains(h) ? h : nil
    }
}
