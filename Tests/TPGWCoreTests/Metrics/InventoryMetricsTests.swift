import Foundation
import Testing
import TPGWCore

@Suite struct InventoryMetricsTests {
    static let now = Date(timeIntervalSince1970: 1_732_262_400)

    static func package(id: String, exhaustsAt: Date? = nil, exhaustsAtP10: Date? = nil) -> InventoryMetrics.Package {
        .init(
            key: PackageKey(provider: "bce", account: "prod", region: "bj", id: id), policy: .offPeak, status: .active,
            capacityBytes: 10 << 30, usedBytes: 4 << 30, expiresAt: now.addingTimeInterval(86_400.7), exhaustsAt: exhaustsAt,
            exhaustsAtP10: exhaustsAtP10)
    }

    @Test func packages_renderSixFamilies_withWholeSecondTimestamps() {
        let inventory = InventoryMetrics(packages: [
            Self.package(id: "tp-1", exhaustsAt: Self.now.addingTimeInterval(3600), exhaustsAtP10: Self.now.addingTimeInterval(1800.5)),
        ])
        var writer = PrometheusTextWriter()
        inventory.write(into: &writer)
        let labels = #"{provider="bce",account="prod",region="bj",package_id="tp-1",policy="offPeak",status="active"}"#
        #expect(
            writer.text == """
                # HELP tpgw_package_capacity_bytes Capacity of the traffic package in bytes.
                # TYPE tpgw_package_capacity_bytes gauge
                tpgw_package_capacity_bytes\(labels) 10737418240
                # HELP tpgw_package_used_bytes Bytes of the traffic package used so far.
                # TYPE tpgw_package_used_bytes gauge
                tpgw_package_used_bytes\(labels) 4294967296
                # HELP tpgw_package_remaining_bytes Bytes left in the traffic package.
                # TYPE tpgw_package_remaining_bytes gauge
                tpgw_package_remaining_bytes\(labels) 6442450944
                # HELP tpgw_package_expiry_timestamp_seconds When the traffic package expires, as a Unix timestamp.
                # TYPE tpgw_package_expiry_timestamp_seconds gauge
                tpgw_package_expiry_timestamp_seconds\(labels) 1732348800
                # HELP tpgw_package_exhaustion_timestamp_seconds When the traffic package is forecast to run out (median), as a Unix timestamp.
                # TYPE tpgw_package_exhaustion_timestamp_seconds gauge
                tpgw_package_exhaustion_timestamp_seconds\(labels) 1732266000
                # HELP tpgw_package_exhaustion_p10_timestamp_seconds The early end of the forecast runway: 10% chance the traffic package has run out by then, as a Unix timestamp.
                # TYPE tpgw_package_exhaustion_p10_timestamp_seconds gauge
                tpgw_package_exhaustion_p10_timestamp_seconds\(labels) 1732264200

                """)
    }

    @Test func packageWithoutForecast_hasNoExhaustionSample() {
        var writer = PrometheusTextWriter()
        InventoryMetrics(packages: [Self.package(id: "tp-1")]).write(into: &writer)
        #expect(!writer.text.contains("tpgw_package_exhaustion_timestamp_seconds"))
        #expect(writer.text.contains("tpgw_package_remaining_bytes"))
    }

    @Test func poolsAndSources_renderWithSourceLabels() {
        let source = SourceID(account: "prod", region: "gz")
        let inventory = InventoryMetrics(
            pools: [.init(source: source, remainingBytes: 5, activePackages: 2, emptyAt: nil)],
            sources: [.init(source: source, up: false, lastSuccessAt: Self.now, consecutiveFailures: 3, lastPollDuration: .milliseconds(250))])
        var writer = PrometheusTextWriter()
        inventory.write(into: &writer)
        let labels = #"{provider="bce",account="prod",region="gz"}"#
        #expect(writer.text.contains("tpgw_pool_remaining_bytes\(labels) 5\n"))
        #expect(writer.text.contains("tpgw_pool_active_packages\(labels) 2\n"))
        #expect(!writer.text.contains("tpgw_pool_empty_timestamp_seconds"))
        #expect(writer.text.contains("tpgw_source_up\(labels) 0\n"))
        #expect(writer.text.contains("tpgw_source_last_success_timestamp_seconds\(labels) 1732262400\n"))
        #expect(writer.text.contains("tpgw_source_consecutive_failures\(labels) 3\n"))
        #expect(writer.text.contains("tpgw_source_last_poll_duration_seconds\(labels) 0.25\n"))
    }

    @Test func stalePackages_disappear_whenLeftOutOfTheNextUpdate() {
        let registry = MetricsRegistry()
        let collector = InventoryMetricsCollector()
        collector.register(on: registry)
        collector.update(InventoryMetrics(packages: [Self.package(id: "tp-old"), Self.package(id: "tp-new")]))
        #expect(registry.render().contains("tp-old"))
        collector.update(InventoryMetrics(packages: [Self.package(id: "tp-new")]))
        let text = registry.render()
        #expect(!text.contains("tp-old"))
        #expect(text.contains("tp-new"))
    }

    @Test func repeatedScrape_withoutUpdate_rendersSameBytes() {
        let registry = MetricsRegistry()
        let collector = InventoryMetricsCollector()
        collector.register(on: registry)
        collector.update(InventoryMetrics(packages: [Self.package(id: "tp-1")]))
        let first = registry.renderBytes()
        #expect(registry.renderBytes() == first)
        #expect(registry.renderBytes().count == first.count)
    }
}
