import Foundation
import TPGWCore

/// Parses `Retry-After`: delta-seconds or an HTTP-date (`Sun, 06 Nov 1994 08:49:37 GMT`), as seconds from `now`.
package enum RetryAfter {
    package static func parse(_ value: String, now: Date) -> TimeInterval? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(v) { return seconds >= 0 ? TimeInterval(seconds) : nil }
        let parts = v.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]),
              let month = months.firstIndex(of: String(parts[2])).map({ $0 + 1 })
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (1...31).contains(day), clock[0] < 24, clock[1] < 60, clock[2] < 61 else { return nil }
        let days = RFC3339.daysFromCivil(year: year, month: month, day: day)
        let at = TimeInterval(days * 86400 + clock[0] * 3600 + clock[1] * 60 + clock[2])
        return max(0, at - now.timeIntervalSince1970)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
