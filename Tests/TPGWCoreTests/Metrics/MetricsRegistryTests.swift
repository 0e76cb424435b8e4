import Testing
import TPGWCore

@Suite struct MetricsRegistryTests {
    @Test func counter_rendersHelpTypeAndValue() {
        let registry = MetricsRegistry()
        registry.makeCounter(name: "tpgw_test_total", help: "A test counter.").increment()
        #expect(registry.render() == "# HELP tpgw_test_total A test counter.\n# TYPE tpgw_test_total counter\ntpgw_test_total 1\n")
    }

    @Test func gauge_rendersLabelledSeriesInCreationOrder() {
        let registry = MetricsRegistry()
        let family = registry.makeGaugeFamily(name: "tpgw_test_bytes", help: "Bytes.", labelNames: ["region", "kind"])
        family.gauge(["bj", "a"]).set(1_099_511_627_776)
        family.gauge(["gz", "b"]).set(0.25)
        #expect(
            registry.render() == """
                # HELP tpgw_test_bytes Bytes.
                # TYPE tpgw_test_bytes gauge
                tpgw_test_bytes{region="bj",kind="a"} 1099511627776
                tpgw_test_bytes{region="gz",kind="b"} 0.25

                """)
    }

    @Test func series_isSameHandle_whenAskedTwice() {
        let registry = MetricsRegistry()
        let family = registry.makeCounterFamily(name: "tpgw_requests_total", help: "R.", labelNames: ["route"])
        family.counter(["/a"]).increment()
        family.counter(["/a"]).increment(by: 2)
        #expect(family.counter(["/a"]).value == 3)
        #expect(family.count == 1)
    }

    @Test func family_isShared_whenRegisteredTwiceWithSameShape() {
        let registry = MetricsRegistry()
        registry.makeCounter(name: "tpgw_deliveries_total", help: "D.", labels: [("outcome", "ok")]).increment()
        registry.makeCounter(name: "tpgw_deliveries_total", help: "D.", labels: [("outcome", "dead")]).increment(by: 4)
        #expect(
            registry.render() == """
                # HELP tpgw_deliveries_total D.
                # TYPE tpgw_deliveries_total counter
                tpgw_deliveries_total{outcome="ok"} 1
                tpgw_deliveries_total{outcome="dead"} 4

                """)
    }

    @Test func labelValues_areEscaped() {
        let registry = MetricsRegistry()
        registry.makeGauge(name: "tpgw_escape", help: "Help with \\ and\nnewline \"quoted\".", labels: [("v", "a\\b\"c\nd")]).set(1)
        #expect(
            registry.render() == """
                # HELP tpgw_escape Help with \\\\ and\\nnewline "quoted".
                # TYPE tpgw_escape gauge
                tpgw_escape{v="a\\\\b\\"c\\nd"} 1

                """)
    }

    @Test func removedSeries_disappearFromOutput() {
        let registry = MetricsRegistry()
        let family = registry.makeGaugeFamily(name: "tpgw_g", help: "G.", labelNames: ["k"])
        for index in 0..<200 { family.gauge(["\(index)"]).set(Double(index)) }
        for index in 0..<199 { family.remove(["\(index)"]) }
        #expect(registry.render() == "# HELP tpgw_g G.\n# TYPE tpgw_g gauge\ntpgw_g{k=\"199\"} 199\n")
        family.gauge(["new"]).set(1)
        #expect(family.count == 2)
        family.removeAll()
        #expect(registry.render() == "")
    }

    @Test func familyWithoutSeries_writesNothing() {
        let registry = MetricsRegistry()
        _ = registry.makeCounterFamily(name: "tpgw_empty_total", help: "E.", labelNames: ["x"])
        #expect(registry.render() == "")
    }

    @Test func collectors_renderAfterFamilies_inOrderAdded() {
        let registry = MetricsRegistry()
        registry.addCollector { writer in
            writer.writeHeader(name: "tpgw_b", help: "B.", type: .gauge)
            writer.writeSample(name: "tpgw_b", value: 2)
        }
        registry.makeGauge(name: "tpgw_a", help: "A.").set(1)
        #expect(registry.render() == "# HELP tpgw_a A.\n# TYPE tpgw_a gauge\ntpgw_a 1\n# HELP tpgw_b B.\n# TYPE tpgw_b gauge\ntpgw_b 2\n")
    }

    @Test func counter_isExact_underConcurrentIncrements() async {
        let registry = MetricsRegistry()
        let counter = registry.makeCounter(name: "tpgw_concurrent_total", help: "C.")
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<1000 { counter.increment() } }
            }
        }
        #expect(counter.value == 8000)
    }

    @Test func gauge_incrementsAndDecrements() {
        let gauge = MetricsRegistry().makeGauge(name: "tpgw_inflight", help: "I.")
        gauge.increment()
        gauge.increment(by: 2.5)
        gauge.increment(by: -1)
        #expect(gauge.value == 2.5)
    }
}
