import Foundation

/// Hour arithmetic on the UTC+8 (Beijing) calendar the clouds bill in: hour indices since the epoch, the hour of
/// the week (0 = Monday 00:00-01:00 Beijing) and the Beijing day. Closed-form, no calendars.
package enum BeijingHour {
    /// Whole hours since 1970-01-01T00:00Z (floor; negative before the epoch).
    package static func index(_ seconds: Double) -> Int64 {
        guard seconds.isFinite else { return 0 }
        let h = (seconds / 3600).rounded(.down)
        return Int64(saturating: h)
    }

    /// Hour of the week in Beijing time: 0 is Monday 00:00 UTC+8. 1970-01-01 was a Thursday, three days after a Monday.
    package static func hourOfWeek(_ hour: Int64) -> Int {
        let shifted = hour.remainderReportingOverflow(dividingBy: 168).partialValue &+ 80
        return Int(((shifted % 168) + 168) % 168)
    }

    /// Beijing day number (days since 1970-01-01 in UTC+8).
    package static func day(_ hour: Int64) -> Int64 {
        let shifted = hour.saturatingAdding(8)
        return shifted >= 0 ? shifted / 24 : (shifted - 23) / 24
    }

    /// Whether the hour lies in the off-peak window (00:00-08:00 Beijing, 16:00-24:00 UTC).
    package static func isOffPeak(_ hour: Int64) -> Bool {
        hourOfWeek(hour) % 24 < 8
    }
}
