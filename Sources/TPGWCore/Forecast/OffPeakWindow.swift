import Foundation

/// The cloud's off-peak window: 00:00-08:00 Beijing time (UTC+8), i.e. 16:00-24:00 UTC every day.
///
/// Off-peak packages are drawn only inside it, and are drawn first there. All arithmetic is closed-form
/// on a cumulative "window seconds since the epoch" clock, so nothing here loops over days.
package enum OffPeakWindow {
    /// Seconds after UTC midnight at which the window opens (08:00 UTC+8 of the previous day closes the day part).
    package static let startSecondOfDay: TimeInterval = 16 * 3600
    /// Length of the window per day.
    package static let length: TimeInterval = 8 * 3600
    private static let day: TimeInterval = 86400

    /// Whether `date` lies inside the window (start inclusive, end exclusive).
    package static func contains(_ date: Date) -> Bool {
        secondOfDay(date.timeIntervalSince1970) >= startSecondOfDay
    }

    /// Window seconds contained in `[from, to)`; 0 when `to <= from`.
    package static func windowSeconds(from: Date, to: Date) -> TimeInterval {
        guard to > from else { return 0 }
        return cumulative(to.timeIntervalSince1970) - cumulative(from.timeIntervalSince1970)
    }

    /// The earliest instant `t >= from` such that `[from, t)` holds `seconds` of window time.
    package static func advance(from: Date, windowSeconds seconds: TimeInterval) -> Date {
        guard seconds > 0 else { return from }
        let target = cumulative(from.timeIntervalSince1970) + seconds
        var days = (target / length).rounded(.down)
        var rest = target - days * length
        if rest <= 0 {  // exactly at a window's end: that window closes at the next midnight
            days -= 1
            rest = length
        }
        let t = days * day + startSecondOfDay + rest
        return Date(timeIntervalSince1970: max(t, from.timeIntervalSince1970))
    }

    /// Whether `date` is inside the window and when the current part of the day (window or not) ends.
    package static func segment(at date: Date) -> (inWindow: Bool, end: Date) {
        let t = date.timeIntervalSince1970
        let dayStart = (t / day).rounded(.down) * day
        if t - dayStart >= startSecondOfDay {
            return (true, Date(timeIntervalSince1970: dayStart + day))
        }
        return (false, Date(timeIntervalSince1970: dayStart + startSecondOfDay))
    }

    private static func secondOfDay(_ t: TimeInterval) -> TimeInterval {
        t - (t / day).rounded(.down) * day
    }

    /// Window seconds elapsed between the epoch and `t`.
    private static func cumulative(_ t: TimeInterval) -> TimeInterval {
        let days = (t / day).rounded(.down)
        return days * length + max(0, t - days * day - startSecondOfDay)
    }
}
