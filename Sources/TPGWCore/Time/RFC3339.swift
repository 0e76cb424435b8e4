import Foundation

/// RFC 3339 UTC timestamps, formatted and parsed without locale-dependent formatters.
package enum RFC3339 {
    /// `2026-11-22T08:00:00Z` (or with milliseconds when `fractional`).
    package static func format(_ date: Date, fractional: Bool = false) -> String {
        let t = date.timeIntervalSince1970
        var seconds = Int64(saturating: t.rounded(.down))
        var millis = Int(saturating: (t - Double(seconds)) * 1000)
        if millis >= 1000 { millis = 999 }
        if millis < 0 { millis = 0 }
        var tmv = tm()
        var time = time_t(seconds)
        gmtime_r(&time, &tmv)
        seconds = 0
        func pad(_ v: Int32, _ w: Int) -> String {
            let s = String(v)
            return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
        }
        var out = pad(tmv.tm_year + 1900, 4) + "-" + pad(tmv.tm_mon + 1, 2) + "-" + pad(tmv.tm_mday, 2)
        out += "T" + pad(tmv.tm_hour, 2) + ":" + pad(tmv.tm_min, 2) + ":" + pad(tmv.tm_sec, 2)
        if fractional { out += "." + pad(Int32(millis), 3) }
        return out + "Z"
    }

    /// Parses `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)`; nil when malformed.
    package static func parse(_ string: String) -> Date? {
        let b = Array(string.utf8)
        guard b.count >= 20 else { return nil }
        func num(_ from: Int, _ len: Int) -> Int? { digits(b, from, len) }
        guard let year = num(0, 4), b[4] == UInt8(ascii: "-"), let month = num(5, 2), b[7] == UInt8(ascii: "-"),
              let day = num(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              let hour = num(11, 2), b[13] == UInt8(ascii: ":"), let minute = num(14, 2), b[16] == UInt8(ascii: ":"),
              let second = num(17, 2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                fraction += Double(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            if i == start { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "+") ? 1 : -1
            guard let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"), let om = num(i + 4, 2) else { return nil }
            offset = sign * (oh * 3600 + om * 60)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let secs = days * 86400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(secs) + fraction)
    }

    /// `YYYY-MM-DDThh:mm:ssZ` exactly, read from the bytes (the form cloud APIs send; no String or copy), else nil:
    /// callers fall back to `parse`, which gives the same value for this form.
    package static func parsePlainUTC(_ b: UnsafeBufferPointer<UInt8>) -> Date? {
        guard b.count == 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "Z") else { return nil }
        func num(_ from: Int, _ len: Int) -> Int? { digits(b, from, len) }
        guard let year = num(0, 4), let month = num(5, 2), let day = num(8, 2), let hour = num(11, 2), let minute = num(14, 2),
              let second = num(17, 2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86400 + hour * 3600 + minute * 60 + second))
    }

    /// The decimal number in `b[from..<from + len]`; nil when it runs past the end or holds anything but digits.
    private static func digits<C: RandomAccessCollection<UInt8>>(_ b: C, _ from: Int, _ len: Int) -> Int? where C.Index == Int {
        guard from >= b.startIndex, from + len <= b.endIndex else { return nil }
        var v = 0
        for i in from..<(from + len) {
            let c = b[i]
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
