import Foundation
import TPGWCore

/// Parses a receiver's `Retry-After` (RFC 9110 §10.2.3) into seconds from `now`, clamped to `0...limit`.
///
/// Hostile by assumption: only delta-seconds (ASCII digits) and IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) with
/// a year in 1970...9999 and a real calendar day are accepted; anything else is nil. Arithmetic cannot trap:
/// a delta of any length saturates at `limit`, and the date is checked field by field before it is combined.
package enum RetryAfter {
    /// The longest wait a receiver may ask for.
    package static let defaultLimit: TimeInterval = 3600

    package static func parse(_ value: String, now: Date, limit: TimeInterval = defaultLimit) -> TimeInterval? {
        let bytes = Array(value.utf8.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed())
        guard !bytes.isEmpty, bytes.count <= 64 else { return nil }
        if let delta = deltaSeconds(bytes) { return min(delta, max(0, limit)) }
        guard let at = imfFixdate(bytes) else { return nil }
        let wait = at - now.timeIntervalSince1970
        guard wait.isFinite else { return nil }
        return min(max(0, wait), max(0, limit))
    }

    /// `1*DIGIT`, saturating (a 40-digit delta is just "very long").
    static func deltaSeconds(_ bytes: [UInt8]) -> TimeInterval? {
        var n = 0
        for b in bytes {
            guard b >= 0x30, b <= 0x39 else { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(b - 0x30))
            n = (o1 || o2) ? Int.max : s  // keeps reading: every byte must still be a digit
        }
        return TimeInterval(n)
    }

    /// `day-name "," SP 2DIGIT SP month SP 4DIGIT SP 2DIGIT ":" 2DIGIT ":" 2DIGIT SP "GMT"`, exactly 29 bytes.
    static func imfFixdate(_ b: [UInt8]) -> TimeInterval? {
        guard b.count == 29, b[3] == 0x2C, b[4] == 0x20, b[7] == 0x20, b[11] == 0x20, b[16] == 0x20, b[19] == 0x3A,
              b[22] == 0x3A, b[25] == 0x20, b[26...28].elementsEqual("GMT".utf8),
              dayNames.contains(where: { $0.elementsEqual(b[0..<3]) }),
              let monthIndex = months.firstIndex(where: { $0.elementsEqual(b[8..<11]) }),
              let day = digits(b[5..<7]), let year = digits(b[12..<16]), let hour = digits(b[17..<19]),
              let minute = digits(b[20..<22]), let second = digits(b[23..<25])
        else { return nil }
        let month = monthIndex + 1
        guard (1970...9999).contains(year), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = RFC3339.daysFromCivil(year: year, month: month, day: day)
        return TimeInterval(days * 86400 + hour * 3600 + minute * 60 + second)
    }

    private static func digits(_ s: ArraySlice<UInt8>) -> Int? {
        var n = 0
        for c in s {
            guard c >= 0x30, c <= 0x39 else { return nil }
            n = n * 10 + Int(c - 0x30)  // at most 4 digits: cannot overflow
        }
        return n
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map { Array($0.utf8) }
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }
}
