import Testing
import TPGWCore

@Suite struct ProcessMetricsTests {
    @Test func stat_isParsed_evenWhenCommandNameHasSpacesAndParens() {
        let stat = "1234 (my (weird) proc) S 1 1234 1234 0 -1 4194560 1 0 0 0 5 3 0 0 20 0 9 0 987654 123456789 2048 18446744073709551615 0"
        #expect(ProcStat.parseStat(stat) == .init(startTimeTicks: 987_654, residentPages: 2048))
    }

    @Test func stat_isNil_whenTruncated() {
        #expect(ProcStat.parseStat("1234 (x) S 1 2 3") == nil)
        #expect(ProcStat.parseStat("garbage") == nil)
    }

    @Test func bootTime_isReadFromBtimeLine() {
        #expect(ProcStat.parseBootTime("cpu  1 2 3\nintr 5\nbtime 1732000000\nprocesses 9\n") == 1_732_000_000)
        #expect(ProcStat.parseBootTime("cpu 1\n") == nil)
    }

    @Test func startTime_addsTicksToBootTime() {
        #expect(ProcStat.startTime(bootTime: 1_000, startTimeTicks: 250, ticksPerSecond: 100) == 1_002.5)
    }

    @Test func processMetrics_readThisProcess() {
        var writer = PrometheusTextWriter()
        ProcessMetrics(version: "1.2.3").write(into: &writer)
        let text = writer.text
        #expect(text.contains("\ntpgw_process_start_time_seconds "))
        #expect(text.contains("\ntpgw_process_resident_memory_bytes "))
        #expect(text.contains("\ntpgw_process_open_fds "))
        #expect(text.hasSuffix("tpgw_build_info{version=\"1.2.3\"} 1\n"))
    }
}
