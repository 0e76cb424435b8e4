import Testing
import TPGWCore

@Suite struct MetricTableTests {
    @Test func table_rendersOneFamilyPerColumn_reusingEscapedLabels() {
        var table = MetricTable(
            labelNames: ["region", "id"],
            columns: [.init(name: "tpgw_a_bytes", help: "A."), .init(name: "tpgw_b_seconds", help: "B.")])
        table.append(labelValues: ["bj", #"x"y"#], values: [10, 1.5])
        table.append(labelValues: ["gz", "z"], values: [20, .nan])
        var writer = PrometheusTextWriter()
        table.write(into: &writer)
        #expect(
            writer.text == """
                # HELP tpgw_a_bytes A.
                # TYPE tpgw_a_bytes gauge
                tpgw_a_bytes{region="bj",id="x\\"y"} 10
                tpgw_a_bytes{region="gz",id="z"} 20
                # HELP tpgw_b_seconds B.
                # TYPE tpgw_b_seconds gauge
                tpgw_b_seconds{region="bj",id="x\\"y"} 1.5

                """)
    }

    @Test func column_withOnlyAbsentValues_isLeftOut() {
        var table = MetricTable(labelNames: ["k"], columns: [.init(name: "tpgw_a", help: "A."), .init(name: "tpgw_b", help: "B.")])
        table.append(labelValues: ["1"], values: [1, .nan])
        var writer = PrometheusTextWriter()
        table.write(into: &writer)
        #expect(writer.text == "# HELP tpgw_a A.\n# TYPE tpgw_a gauge\ntpgw_a{k=\"1\"} 1\n")
    }

    @Test func emptyTable_writesNothing() {
        let table = MetricTable(labelNames: ["k"], columns: [.init(name: "tpgw_a", help: "A.")])
        var writer = PrometheusTextWriter()
        table.write(into: &writer)
        #expect(writer.text.isEmpty)
    }

    @Test(arguments: [0.0, -0.0, 7, -42, 1_099_511_627_776, 0.25, -1.5e-7, 9.9e18, .infinity, -.infinity])
    func tableValues_matchWriterFormatting(value: Double) {
        var table = MetricTable(labelNames: ["k"], columns: [.init(name: "tpgw_a", help: "A.")])
        table.append(labelValues: ["v"], values: [value])
        var writer = PrometheusTextWriter()
        table.write(into: &writer)
        #expect(writer.text.hasSuffix("tpgw_a{k=\"v\"} \(PrometheusTextWriter.format(value))\n"))
    }
}
