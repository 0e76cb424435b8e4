import Testing
import TPGWCore

@Suite struct HistogramTests {
    @Test func histogram_rendersCumulativeBuckets_sumAndCount() {
        let registry = MetricsRegistry()
        let histogram = registry.makeHistogramFamily(
            name: "tpgw_latency_seconds", help: "Latency.", labelNames: ["route"], buckets: [0.1, 0.5, 1]).histogram(["/v1/packages"])
        for value in [0.05, 0.1, 0.3, 2.0] { histogram.observe(value) }
        #expect(
            registry.render() == """
                # HELP tpgw_latency_seconds Latency.
                # TYPE tpgw_latency_seconds histogram
                tpgw_latency_seconds_bucket{route="/v1/packages",le="0.1"} 2
                tpgw_latency_seconds_bucket{route="/v1/packages",le="0.5"} 3
                tpgw_latency_seconds_bucket{route="/v1/packages",le="1"} 3
                tpgw_latency_seconds_bucket{route="/v1/packages",le="+Inf"} 4
                tpgw_latency_seconds_sum{route="/v1/packages"} 2.45
                tpgw_latency_seconds_count{route="/v1/packages"} 4

                """)
    }

    @Test func histogram_withoutLabels_hasOnlyLeLabel() {
        let registry = MetricsRegistry()
        registry.makeHistogramFamily(name: "tpgw_poll_seconds", help: "P.", buckets: [1]).histogram([]).observe(.milliseconds(1500))
        #expect(
            registry.render() == """
                # HELP tpgw_poll_seconds P.
                # TYPE tpgw_poll_seconds histogram
                tpgw_poll_seconds_bucket{le="1"} 0
                tpgw_poll_seconds_bucket{le="+Inf"} 1
                tpgw_poll_seconds_sum 1.5
                tpgw_poll_seconds_count 1

                """)
    }

    @Test(arguments: [
        ([Double](), false), ([1, 1], false), ([2, 1], false), ([1, .infinity], false), ([0.1, 1, 10], true),
    ])
    func buckets_areValidated(buckets: [Double], valid: Bool) {
        #expect(Histogram.areValidBuckets(buckets) == valid)
    }

    @Test func standardBucketLayouts_areValid() {
        #expect(Histogram.areValidBuckets(Histogram.httpBuckets))
        #expect(Histogram.areValidBuckets(Histogram.upstreamBuckets))
        #expect(Histogram.areValidBuckets(Histogram.pollBuckets))
    }

    @Test func observation_onBound_fallsInThatBucket() {
        let histogram = Histogram(name: "h", buckets: [1, 2])
        histogram.observe(1)
        histogram.observe(2)
        #expect(histogram.snapshot.cumulativeCounts == [1, 2, 2])
        #expect(histogram.snapshot.count == 2)
    }
}
