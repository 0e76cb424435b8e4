import Foundation

/// A daily off-peak window: off-peak packages are drawn only inside it, and are drawn first there.
///
/// Baidu documents 00:00-08:00 Beijing time (UTC+8), i.e. 16:00-24:00 UTC (`.bce`). Tencent's API does not say
/// which hours are off-peak, so its window is configurable per account (`offPeak` in the configuration). The static
/// members keep Baidu's window for callers that have no account to ask.
///
/// All arithmetic is closed-form on a cumulative "window seconds since the epoch" clock, so nothing here loops over
/// days. A window that crosses UTC midnight is handled by shifting time so that it ends at a (shifted) midnight.
package struct OffPeakWindow: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Seconds after UTC midnight at which the window opens, in `0..<86400`.
    package let startSecondOfDay: TimeInterval
    /// Length of the window per day, in `(0, 86400)`.
    package let length: TimeInterval

    private static let day: TimeInterval = 86400

    /// - Parameters:
    ///   - startSecondOfDay: UTC second of the day the window opens (wrapped into a day).
    ///   - length: seconds, clamped to `60...86340`.
    package init(startSecondOfDay: TimeInterval, length: TimeInterval) {
        let s = startSecondOfDay.truncatingRemainder(dividingBy: Self.day)
        self.startSecondOfDay = s < 0 ? s + Self.day : s
        self.length = min(Self.day - 60, max(60, length))
    }

    /// A window given in local wall-clock minutes (`start`, `end`, minutes after local midnight, `end` may be
    /// smaller than `start` to wrap past midnight) at `utcOffsetMinutes` east of UTC.
    package init(startMinute: Int, endMinute: Int, utcOffsetMinutes: Int) {
        let length = ((endMinute - startMinute) % 1440 + 1440) % 1440
        self.init(startSecondOfDay: TimeInterval((startMinute - utcOffsetMinutes) * 60), length: TimeInterval(length * 60))
    }

    /// 00:00-08:00 UTC+8 (Baidu's documented window).
    package static let bce = OffPeakWindow(startSecondOfDay: 16 * 3600, length: 8 * 3600)

    /// Shift that moves the window's end onto a (shifted) midnight.
    private var shift: TimeInterval { (startSecondOfDay + length).truncatingRemainder(dividingBy: Self.day) }
    /// Where the window opens in shifted time.
    private var shiftedStart: TimeInterval { Self.day - length }

    /// Whether `date` lies inside the window (start inclusive, end exclusive).
    package func contains(_ date: Date) -> Bool {
        Self.secondOfDay(date.timeIntervalSince1970 - shift) >= shiftedStart
    }

    /// Window seconds contained in `[from, to)`; 0 when `to <= from`.
    package func windowSeconds(from: Date, to: Date) -> TimeInterval {
        guard to > from else { return 0 }
        return cumulative(to.timeIntervalSince1970) - cumulative(from.timeIntervalSince1970)
    }

    /// The earliest instant `t >= from` such that `[from, t)` holds `seconds` of window time.
    package func advance(from: Date, windowSeconds seconds: TimeInterval) -> Date {
        guard seconds > 0 else { return from }
        let target = cumulative(from.timeIntervalSince1970) + seconds
        var days = (target / length).rounded(.down)
        var rest = target - days * length
        if rest <= 0 {  // exactly at a window's end: that window closes at the next (shifted) midnight
            days -= 1
            rest = length
        }
        let t = days * Self.day + shiftedStart + rest + shift
        return Date(timeIntervalSince1970: max(t, from.timeIntervalSince1970))
    }

    /// Whether `date` is inside the window and when the current part of the day (window or not) ends.
    package func segment(at date: Date) -> (inWindow: Bool, end: Date) {
        let t = date.timeIntervalSince1970 - shift
        let dayStart = (t / Self.day).rounded(.down) * Self.day
        if t - dayStart >= shiftedStart {
            return (true, Date(timeIntervalSince1970: dayStart + Self.day + shift))
        }
        return (false, Date(timeIntervalSince1970: dayStart + shiftedStart + shift))
    }

    /// `HH:MM-HH:MM UTC`.
    package var description: String {
        func hhmm(_ s: TimeInterval) -> String {
            let m = Int(s / 60) % 1440
            return String(format: "%02d:%02d", m / 60, m % 60)
        }
        return "\(hhmm(startSecondOfDay))-\(hhmm(startSecondOfDay + length)) UTC"
    }

    private static func secondOfDay(_ t: TimeInterval) -> TimeInterval {
        t - (t / day).rounded(.down) * day
    }

    /// Window seconds elapsed between the (shifted) epoch and `t`.
    private func cumulative(_ t: TimeInterval) -> TimeInterval {
        let s = t - shift
        let days = (s / Self.day).rounded(.down)
        return days * length + max(0, s - days * Self.day - shiftedStart)
    }

    // MARK: Baidu's window, for callers without an account

    package static var startSecondOfDay: TimeInterval { bce.startSecondOfDay }
    package static var length: TimeInterval { bce.length }
    package static func contains(_ date: Date) -> Bool { bce.contains(date) }
    package static func windowSeconds(from: Date, to: Date) -> TimeInterval { bce.windowSeconds(from: from, to: to) }
    package static func advance(from: Date, windowSeconds seconds: TimeInterval) -> Date { bce.advance(from: from, windowSeconds: seconds) }
    package static func segment(at date: Date) -> (inWindow: Bool, end: Date) { bce.segment(at: date) }
}
