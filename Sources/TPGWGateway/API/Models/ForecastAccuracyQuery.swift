import Foundation
import TPGWCore

/// The parameters of a forecast backtest (`GET /v1/forecast/accuracy?days=&horizon=`, `tpgw forecast backtest
/// --days --horizon`): how many past days are scored and the warning horizon. Bounded, so a request's work is.
package struct ForecastAccuracyQuery: Sendable, Equatable {
    /// Days of history scored (1...28, default 14).
    package var days = 14
    /// The horizon an `exhaustion` warning must come ahead by, in hours (1...168, default 24).
    package var horizonHours = 24

    package static let daysRange = 1...28
    package static let horizonRange = 1...168

    package init(days: Int = 14, horizonHours: Int = 24) {
        self.days = days
        self.horizonHours = horizonHours
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
            default:
                errors.append(.init(field: name, message: "unknown parameter"))
            }
        }
        if !errors.isEmpty { throw AppError(.validationFailed, "invalid query", fieldErrors: errors) }
    }

    package static let horizonMessage = "must be whole hours or days from 1h to 168h (e.g. 24h, 2d)"

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
