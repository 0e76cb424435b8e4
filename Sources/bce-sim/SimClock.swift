import Foundation

/// Simulated time: `start + (real - realStart) * timeScale + advanced`. Pure: real time is passed in.
struct SimClock: Sendable, Equatable {
    var start: Date
    var realStart: Date
    /// Simulated seconds per real second (0 freezes the clock between advances).
    var timeScale: Double
    var advanced: TimeInterval = 0

    func now(real: Date) -> Date {
        start.addingTimeInterval(real.timeIntervalSince(realStart) * timeScale + advanced)
    }

    /// Seconds of `[from, to)` that fall in 00:00-08:00 Beijing time (16:00-24:00 UTC).
    static func offPeakSeconds(from: Date, to: Date) -> TimeInterval {
        guard to > from else { return 0 }
        let day = 86_400.0
        var total = 0.0
        let a = from.timeIntervalSince1970
        let b = to.timeIntervalSince1970
        var dayStart = (a / day).rounded(.down) * day
        while dayStart < b {
            let wStart = dayStart + 16 * 3600
            let wEnd = dayStart + day
            total += max(0, min(b, wEnd) - max(a, wStart))
            dayStart += day
        }
        return total
    }

    /// `date` plus `months` calendar months (UTC), as BCE computes expiry.
    static func addMonths(_ months: Int, to date: Date) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        return cal.date(byAdding: .month, value: months, to: date) ?? date.addingTimeInterval(Double(months) * 30 * 86_400)
    }
}
