import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Process metrics read from `/proc/self` at scrape time, plus `tpgw_build_info`.
///
/// Writes `tpgw_process_start_time_seconds`, `tpgw_process_resident_memory_bytes`,
/// `tpgw_process_open_fds` and `tpgw_build_info{version}`. A value that cannot be read (not
/// Linux, `/proc` not mounted) is left out rather than written as zero.
package struct ProcessMetrics: Sendable {
    /// The version reported by `tpgw_build_info`.
    package let version: String
    private let procRoot: String
    private let startTime: Double?

    /// - Parameters:
    ///   - version: the build's version string, e.g. `0.1.0`.
    ///   - procRoot: the proc directory of the process to describe (tests may point elsewhere).
    package init(version: String, procRoot: String = "/proc/self") {
        self.version = version
        self.procRoot = procRoot
        // The start time never changes: read it once.
        if let stat = Self.read("\(procRoot)/stat").flatMap(ProcStat.parseStat),
            let boot = Self.read("/proc/stat").flatMap(ProcStat.parseBootTime)
        {
            startTime = ProcStat.startTime(bootTime: boot, startTimeTicks: stat.startTimeTicks, ticksPerSecond: Self.ticksPerSecond)
        } else {
            startTime = nil
        }
    }

    /// Adds these metrics to every scrape of `registry`.
    package func register(on registry: MetricsRegistry) {
        registry.addCollector { writer in
            self.write(into: &writer)
        }
    }

    /// Reads `/proc` now and appends the families.
    package func write(into writer: inout PrometheusTextWriter) {
        if let startTime {
            writer.writeHeader(
                name: "tpgw_process_start_time_seconds", help: "When the process started, as a Unix timestamp.", type: .gauge)
            writer.writeSample(name: "tpgw_process_start_time_seconds", value: startTime)
        }
        if let stat = Self.read("\(procRoot)/stat").flatMap(ProcStat.parseStat) {
            writer.writeHeader(name: "tpgw_process_resident_memory_bytes", help: "Resident memory size in bytes.", type: .gauge)
            writer.writeSample(name: "tpgw_process_resident_memory_bytes", value: Double(stat.residentPages) * Double(Self.pageSize))
        }
        if let fds = try? FileManager.default.contentsOfDirectory(atPath: "\(procRoot)/fd") {
            writer.writeHeader(name: "tpgw_process_open_fds", help: "Number of open file descriptors.", type: .gauge)
            writer.writeSample(name: "tpgw_process_open_fds", value: Double(fds.count))
        }
        writer.writeHeader(name: "tpgw_build_info", help: "Build information; the value is always 1.", type: .gauge)
        writer.writeSample(name: "tpgw_build_info", labels: ["version": version], value: 1)
    }

    private static func read(_ path: String) -> String? {
        // /proc files report size 0, so read to end of file rather than trusting the size.
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    private static var ticksPerSecond: Int {
        #if canImport(Glibc)
        Int(sysconf(Int32(_SC_CLK_TCK)))
        #else
        100
        #endif
    }

    private static var pageSize: Int {
        #if canImport(Glibc)
        Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
        4096
        #endif
    }
}
