import Foundation
import TPGWCore

/// Human units for the status page: binary byte units and short relative times.
package enum HumanFormat {
    /// `0 B`, `512 MiB`, `1.5 GiB`, `12 TiB` (binary units, at most three significant digits).
    package static func bytes(_ value: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var scaled = abs(value)
        var unit = 0
        while scaled >= 1024 && unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        let sign = value < 0 ? "-" : ""
        if unit == 0 || scaled >= 100 || scaled.rounded() == scaled && scaled >= 10 {
            return "\(sign)\(Int(saturating: scaled.rounded())) \(units[unit])"
        }
        // One decimal from 10 up, two below; trailing zeros dropped (String(format:) is slow).
        let digits = scaled >= 10 ? 1 : 2
        let factor = digits == 1 ? 10 : 100
        let fixed = Int(saturating: (scaled * Double(factor)).rounded())
        var fraction = String(fixed % factor)
        if digits == 2 && fraction.count == 1 { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let whole = String(fixed / factor)
        return sign + (fraction.isEmpty ? whole : whole + "." + fraction) + " " + units[unit]
    }

    package static func bytes(_ value: Int64) -> String { bytes(Double(value)) }

    /// `3 d 4 h`, `5 h 20 min`, `12 min`, `< 1 min`: the two largest units of a duration.
    package static func duration(_ seconds: Double) -> String {
        // Saturating: a forecast years away (or a corrupt value) must not trap.
        let magnitude = abs(seconds)
        let total = magnitude.isFinite && magnitude < 1e15 ? Int(magnitude) : Int(1e15)
        let days = total / 86_400
        let hours = (total % 86_400) / 3_600
        let minutes = (total % 3_600) / 60
        if days >= 10 { return "\(days) d" }
        if days > 0 { return hours > 0 ? "\(days) d \(hours) h" : "\(days) d" }
        if hours > 0 { return minutes > 0 ? "\(hours) h \(minutes) min" : "\(hours) h" }
        if minutes > 0 { return "\(minutes) min" }
        return "< 1 min"
    }

    /// `in 3 d 4 h` or `2 h ago`, relative to `now`.
    package static func relative(_ date: Date, now: Date) -> String {
        let delta = date.timeIntervalSince(now)
        return delta >= 0 ? "in \(duration(delta))" : "\(duration(delta)) ago"
    }

    /// A forecast runway with its range: `in 2 d 4 h (1 d 20 h - 2 d 9 h)`, the median then the P10 and P90
    /// runways; `never` for a P90 that does not run out; the median alone without a P10.
    package static func runway(_ median: Date, p10: Date?, p90: Date?, now: Date) -> String {
        guard let p10 else { return relative(median, now: now) }
        let high = p90.map { duration(max(0, $0.timeIntervalSince(now))) } ?? "never"
        return "\(relative(median, now: now)) (\(duration(max(0, p10.timeIntervalSince(now)))) - \(high))"
    }

    /// `2026-11-22 08:00 UTC`.
    package static func timestamp(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        guard t.isFinite, abs(t) < 2.5e11 else { return "-" }  // outside years -5000...9000: not a time to show
        let seconds = Int64(t.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let minuteOfDay = Int((seconds - days * 86_400) / 60)
        let (year, month, day) = civilDate(daysSince1970: days)
        return "\(year)-\(pad(month))-\(pad(day)) \(pad(minuteOfDay / 60)):\(pad(minuteOfDay % 60)) UTC"
    }

    /// What a pool simulation assumed: `draws earliest expiry first, off-peak 16:00-00:00 UTC`.
    package static func assumptions(_ rules: PoolRules) -> String {
        let order = switch rules.drawOrder {
        case .earliestDeadlineFirst: "earliest expiry first"
        case .earliestPurchaseFirst: "oldest purchase first"
        case .latestPurchaseFirst: "newest purchase first"
        }
        return "draws \(order), off-peak \(rules.offPeak.description)"
    }

    private static func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }

    // Howard Hinnant's days-to-civil algorithm (proleptic Gregorian), pure integer math.
    private static func civilDate(daysSince1970 days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}
