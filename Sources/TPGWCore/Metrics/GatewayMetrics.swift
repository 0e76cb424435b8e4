/// The handle-based metric families of tpgw, made once at startup from one registry.
///
/// Components keep the family (or the series they use) and update it; see `docs/metrics.md` for
/// the contract. Per-package, per-pool and per-source gauges are not here: they are computed at
/// scrape time by `InventoryMetricsCollector`, and process metrics by `ProcessMetrics`.
package struct GatewayMetrics: Sendable {
    /// `tpgw_http_requests_total{method,route,status}`; `route` is the matched template or `NotFound`.
    package let httpRequests: CounterFamily
    /// `tpgw_http_request_duration_seconds{method,route,status}`.
    package let httpRequestDuration: HistogramFamily
    /// `tpgw_upstream_requests_total{region,operation,outcome}`.
    package let upstreamRequests: CounterFamily
    /// `tpgw_upstream_request_duration_seconds{region,operation,outcome}`.
    package let upstreamRequestDuration: HistogramFamily
    /// `tpgw_poll_duration_seconds{account,region}`: one whole poll of one source.
    package let pollDuration: HistogramFamily
    /// `tpgw_upstream_packages_skipped_total{account,region,field}`: listed packages tpgw could not represent and
    /// left out of a poll, by the field at fault.
    package let upstreamPackagesSkipped: CounterFamily
    /// `tpgw_snapshots_written_total`.
    package let snapshotsWritten: Counter
    /// `tpgw_alerts_firing{kind}`: alerts currently firing per budget rule kind.
    package let alertsFiring: GaugeFamily
    /// `tpgw_deliveries_total{format,outcome}`: delivery attempts per channel format and outcome.
    package let deliveries: CounterFamily
    /// `tpgw_dead_letters`: deliveries that gave up and wait for an operator.
    package let deadLetters: Gauge

    /// Makes every family on `registry` (asking twice returns the same families).
    package init(registry: MetricsRegistry) {
        httpRequests = registry.makeCounterFamily(
            name: "tpgw_http_requests_total", help: "HTTP requests served, by method, route template and status.",
            labelNames: ["method", "route", "status"])
        httpRequestDuration = registry.makeHistogramFamily(
            name: "tpgw_http_request_duration_seconds", help: "Time to serve HTTP requests, by method, route template and status.",
            labelNames: ["method", "route", "status"], buckets: Histogram.httpBuckets)
        upstreamRequests = registry.makeCounterFamily(
            name: "tpgw_upstream_requests_total", help: "Requests sent to the cloud provider API, by region, operation and outcome.",
            labelNames: ["region", "operation", "outcome"])
        upstreamRequestDuration = registry.makeHistogramFamily(
            name: "tpgw_upstream_request_duration_seconds",
            help: "Time taken by requests to the cloud provider API, by region, operation and outcome.",
            labelNames: ["region", "operation", "outcome"], buckets: Histogram.upstreamBuckets)
        pollDuration = registry.makeHistogramFamily(
            name: "tpgw_poll_duration_seconds", help: "Time taken by one poll of one source (all its pages).",
            labelNames: ["account", "region"], buckets: Histogram.pollBuckets)
        upstreamPackagesSkipped = registry.makeCounterFamily(
            name: "tpgw_upstream_packages_skipped_total",
            help: "Packages listed by the cloud provider that tpgw cannot represent and left out of a poll, by the field at fault.",
            labelNames: ["account", "region", "field"])
        snapshotsWritten = registry.makeCounter(name: "tpgw_snapshots_written_total", help: "Package snapshots written to the database.")
        alertsFiring = registry.makeGaugeFamily(
            name: "tpgw_alerts_firing", help: "Alerts currently firing, by budget rule kind.", labelNames: ["kind"])
        deliveries = registry.makeCounterFamily(
            name: "tpgw_deliveries_total", help: "Alert delivery attempts, by channel format and outcome.",
            labelNames: ["format", "outcome"])
        deadLetters = registry.makeGauge(name: "tpgw_dead_letters", help: "Alert deliveries that gave up and are kept as dead letters.")
    }
}
