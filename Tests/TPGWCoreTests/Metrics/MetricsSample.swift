import Foundation
import TPGWCore

/// A registry with every tpgw family populated, for format and lint checks.
enum MetricsSample {
    /// Every metric name in `docs/metrics.md`.
    static let documentedNames = [
        "tpgw_package_capacity_bytes", "tpgw_package_used_bytes", "tpgw_package_remaining_bytes",
        "tpgw_package_expiry_timestamp_seconds", "tpgw_package_exhaustion_timestamp_seconds", "tpgw_package_exhaustion_p10_timestamp_seconds",
        "tpgw_pool_remaining_bytes", "tpgw_pool_active_packages", "tpgw_pool_empty_timestamp_seconds", "tpgw_pool_empty_p10_timestamp_seconds",
        "tpgw_source_up", "tpgw_source_last_success_timestamp_seconds", "tpgw_source_consecutive_failures",
        "tpgw_source_last_poll_duration_seconds", "tpgw_upstream_requests_total", "tpgw_upstream_request_duration_seconds",
        "tpgw_upstream_packages_skipped_total",
        "tpgw_http_requests_total", "tpgw_http_request_duration_seconds", "tpgw_poll_duration_seconds",
        "tpgw_snapshots_written_total", "tpgw_alerts_firing", "tpgw_deliveries_total", "tpgw_dead_letters",
        "tpgw_process_start_time_seconds", "tpgw_process_resident_memory_bytes", "tpgw_process_open_fds", "tpgw_build_info",
    ]

    static func fullScrape() -> String {
        let registry = MetricsRegistry()
        let metrics = GatewayMetrics(registry: registry)
        metrics.httpRequests.counter(["GET", "/v1/packages/{key}", "200"]).increment()
        metrics.httpRequestDuration.histogram(["GET", "/v1/packages/{key}", "200"]).observe(.milliseconds(3))
        metrics.upstreamRequests.counter(["bj", "listTrafficPackages", "ok"]).increment()
        metrics.upstreamRequestDuration.histogram(["bj", "listTrafficPackages", "ok"]).observe(0.084)
        metrics.pollDuration.histogram(["prod", "bj"]).observe(0.3)
        metrics.upstreamPackagesSkipped.counter(["prod", "bj", "usedCapacity"]).increment()
        metrics.snapshotsWritten.increment(by: 12)
        metrics.alertsFiring.gauge(["exhaustion"]).set(2)
        metrics.deliveries.counter(["dingtalk", "delivered"]).increment()
        metrics.deadLetters.set(1)

        let now = Date(timeIntervalSince1970: 1_732_262_400)
        let source = SourceID(account: "prod", region: "bj")
        let collector = InventoryMetricsCollector()
        collector.update(
            InventoryMetrics(
                packages: [
                    .init(
                        key: PackageKey(provider: "bce", account: "prod", region: "bj", id: "tp-\"quoted\"\\\n"), policy: .fullTime,
                        status: .active, capacityBytes: 1 << 40, usedBytes: 1 << 39, expiresAt: now.addingTimeInterval(86_400 * 30),
                        exhaustsAt: now.addingTimeInterval(86_400 * 3), exhaustsAtP10: now.addingTimeInterval(86_400 * 2))
                ],
                pools: [.init(source: source, remainingBytes: 1 << 39, activePackages: 1, emptyAt: now.addingTimeInterval(86_400 * 3),
                               emptyAtP10: now.addingTimeInterval(86_400 * 2))],
                sources: [.init(source: source, up: true, lastSuccessAt: now, consecutiveFailures: 0, lastPollDuration: .milliseconds(84))]))
        collector.register(on: registry)
        ProcessMetrics(version: "0.1.0").register(on: registry)
        return registry.render()
    }
}
