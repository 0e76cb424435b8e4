import Testing
import TPGWCore

@Suite struct PrometheusTextWriterTests {
    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (1, "1"), (-7, "-7"), (1_099_511_627_776, "1099511627776"),
        (1.5, "1.5"), (0.005, "0.005"), (1e-9, "1e-09"), (1_732_262_400, "1732262400"),
        (9.2e18, "9.2e+18"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"),
        (Double(Int64(1) << 50) * 3, "3377699720527872"),
    ])
    func value_isFormattedPerExpositionFormat(value: Double, text: String) {
        #expect(PrometheusTextWriter.format(value) == text)
    }

    @Test func sample_withoutLabels_omitsBraces() {
        var writer = PrometheusTextWriter()
        writer.writeSample(name: "tpgw_x", value: 3)
        #expect(writer.text == "tpgw_x 3\n")
    }

    @Test func sample_escapesBackslashQuoteAndNewline_inLabelValues() {
        var writer = PrometheusTextWriter()
        writer.writeSample(name: "tpgw_x", labels: ["path": #"C:\dir"#, "q": #"say "hi""#, "nl": "a\nb"], value: 1)
        #expect(writer.text == #"tpgw_x{path="C:\\dir",q="say \"hi\"",nl="a\nb"} 1"# + "\n")
    }

    @Test func labelValues_keepUnicode() {
        var writer = PrometheusTextWriter()
        writer.writeSample(name: "tpgw_x", labels: ["account": "生产"], value: 1)
        #expect(writer.text == "tpgw_x{account=\"生产\"} 1\n")
    }
}
