#if canImport(Glibc)
import Glibc
#endif

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) rendering with a per-second cache.
/// Not thread-safe: each event loop owns one.
struct HTTPDateCache {
    private var second: Int = -1
    private(set) var bytes: [UInt8] = []

    /// The current date's bytes, recomputed at most once per second.
    mutating func current() -> [UInt8] {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let now = Int(ts.tv_sec)
        if now != second {
            second = now
            bytes = HTTPDateCache.format(epochSeconds: now)
        }
        return bytes
    }

    private static let days: [String] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months: [String] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats `epochSeconds` as IMF-fixdate bytes.
    static func format(epochSeconds: Int) -> [UInt8] {
        var t = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let s = days[Int(parts.tm_wday)] + ", " + two(parts.tm_mday) + " " + months[Int(parts.tm_mon)] + " "
            + String(parts.tm_year + 1900) + " " + two(parts.tm_hour) + ":" + two(parts.tm_min) + ":" + two(parts.tm_sec) + " GMT"
        return Array(s.utf8)
    }
}
