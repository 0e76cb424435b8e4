/// Pure parsers for the Linux `/proc` files that process metrics read.
package enum ProcStat {
    /// The fields tpgw reads from `/proc/self/stat`.
    package struct Fields: Sendable, Equatable {
        /// Field 22: when the process started, in clock ticks since boot.
        package var startTimeTicks: UInt64
        /// Field 24: resident set size, in pages.
        package var residentPages: Int64

        package init(startTimeTicks: UInt64, residentPages: Int64) {
            self.startTimeTicks = startTimeTicks
            self.residentPages = residentPages
        }
    }

    /// Parses `/proc/<pid>/stat`; nil when malformed.
    ///
    /// Field 2 (`comm`) is in parentheses and may itself contain spaces and `)`, so fields are
    /// counted from the *last* `)` (proc(5)).
    package static func parseStat(_ text: String) -> Fields? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let rest = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // rest[0] is field 3 (state), so field n is rest[n - 3].
        guard rest.count > 21, let start = UInt64(rest[19]), let rss = Int64(rest[21]) else { return nil }
        return Fields(startTimeTicks: start, residentPages: rss)
    }

    /// Parses the `btime` line (boot time, Unix seconds) of `/proc/stat`; nil when absent.
    package static func parseBootTime(_ text: String) -> Int64? {
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Int64(line.dropFirst("btime ".count).trimmingPrefix(while: { $0 == " " }))
        }
        return nil
    }

    /// The process start time as Unix seconds from boot time and start ticks.
    package static func startTime(bootTime: Int64, startTimeTicks: UInt64, ticksPerSecond: Int) -> Double {
        Double(bootTime) + Double(startTimeTicks) / Double(max(1, ticksPerSecond))
    }
}
