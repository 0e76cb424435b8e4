import Foundation
import TPGWCore

/// `timestamptz` text in and out, fast and locale-free. Connections run with `TimeZone=UTC`
/// and `DateStyle=ISO`, so the server prints `2026-11-22 08:00:00.123456+00`.
package enum PostgresTimestamp {
    /// `2026-11-22T08:00:00.123456Z`, rounded to whole microseconds.
    package static func format(_ date: Date) -> String {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let total = Int64(saturating: micros)
        var seconds = total / 1_000_000
        var fraction = total % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        let base = RFC3339.format(Date(timeIntervalSince1970: Double(seconds)))
        if fraction == 0 { return base }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        return String(base.dropLast()) + "." + digits + "Z"
    }

    /// `date` as the database gives it back after storing it (whole microseconds, the same arithmetic as `parse`).
    package static func stored(_ date: Date) -> Date {
        var text = Array(format(date).utf8)
        return text.withUnsafeMutableBufferPointer { parse(UnsafeBufferPointer($0)) } ?? date
    }

    /// Parses the server's ISO output (`YYYY-MM-DD hh:mm:ss[.ffffff]±hh[:mm[:ss]]`); nil when malformed.
    package static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Date? {
        let n = b.count
        guard n >= 19 else {
            return nil
        }
        @inline(__always) func digit(_ i: Int) -> Int? {
            let c = b[i]
            return c >= 48 && c <= 57 ? Int(c - 48) : nil
        }
        @inline(__always) func num(_ from: Int, _ len: Int) -> Int? {
            var v = 0
            for i in from..<(from + len) {
                guard i < n, let d = digit(i) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let year = num(0, 4), b[4] == UInt8(ascii: "-"), let month = num(5, 2), b[7] == UInt8(ascii: "-"),
              let day = num(8, 2), b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "T"),
              let hour = num(11, 2), b[13] == UInt8(ascii: ":"), let minute = num(14, 2),
              b[16] == UInt8(ascii: ":"), let second = num(17, 2)
        else { return nil }
        var i = 19
        var micros = 0
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 100_000
            while i < n, let d = digit(i) {
                micros += d * scale
                scale /= 10
                i += 1
            }
        }
        var offset = 0
        if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "+") ? 1 : -1
            guard let oh = num(i + 1, 2) else { return nil }
            var off = oh * 3600
            i += 3
            if i < n, b[i] == UInt8(ascii: ":"), let om = num(i + 1, 2) {
                off += om * 60
                i += 3
                if i < n, b[i] == UInt8(ascii: ":"), let os = num(i + 1, 2) {
                    off += os
                    i += 3
                }
            }
            offset = sign * off
        } else if i < n, b[i] == UInt8(ascii: "Z") {
            i += 1
        }
        guard i == n else { return nil }
        let days = RFC3339.daysFromCivil(year: year, month: month, day: day)
        let secs = days * 86400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(secs) + Double(micros) / 1_000_000)
    }
}
