import Foundation
import TPGWCore
import Testing
@testable import TPGWGateway

@Suite struct OpsAdapterTests {
    typealias F = OpsFixtures

    static let view = F.view(
        packages: [
            F.package("a", region: "bj", used: 50 << 30),
            F.package("b", region: "bj", used: 90 << 30),
            F.package("c", region: "gz", used: 10 << 30),
            F.package("old", region: "gz", used: 100 << 30, status: .usedUp),
            F.package("gone", region: "gz", used: 1, status: .released, observedAt: F.now.addingTimeInterval(-2 * 86_400)),
            F.package("left", region: "gz", used: 1, status: .released, observedAt: F.now.addingTimeInterval(-3600)),
        ],
        burning: ["a": 1, "b": 2],
        sources: [
            F.source("bj"),
            F.source("gz", state: .failing, failures: 2, error: ("InternalError", "upstream 500")),
            F.source("su", state: .pending, lastSuccess: nil),
        ])

    /// The burn rate of every active package in the view, as the forecaster computed it.
    static var activeBurn: Double {
        zip(view.flattened().packages, view.flattened().forecasts).filter { $0.0.status == .active }.reduce(0) { $0 + $1.1.burnBytesPerHour }
    }

    @Test func inventory_hasEveryListedPackage_dropsLongReleasedOnes_andForecastsOnlyActiveOnes() {
        let inventory = InventoryMetrics(view: Self.view, now: F.now)
        #expect(inventory.packages.map(\.key.id).sorted() == ["a", "b", "c", "left", "old"])
        let b = inventory.packages.first { $0.key.id == "b" }!
        #expect(b.remainingBytes == 10 << 30)
        #expect(b.exhaustsAt == F.now.addingTimeInterval(5 * 3600))
        #expect(inventory.packages.first { $0.key.id == "old" }!.exhaustsAt == nil)
        #expect(inventory.pools.map(\.source.region) == ["bj", "gz", "su"])
        #expect(inventory.pools[0].activePackages == 2)
        #expect(inventory.pools[0].remainingBytes == 60 << 30)
    }

    @Test func inventory_sourceIsUp_onlyAfterASuccessWithoutLaterFailure() {
        let sources = InventoryMetrics(view: Self.view, now: F.now).sources
        #expect(sources.map(\.up) == [true, false, false])
        #expect(sources[1].consecutiveFailures == 2)
        #expect(sources[0].lastPollDuration == .milliseconds(84))
        #expect(sources[2].lastPollDuration == nil)
    }

    @Test func inventory_rendersWithPromtoolNames() {
        var writer = PrometheusTextWriter(reservingCapacity: 4096)
        InventoryMetrics(view: Self.view, now: F.now).write(into: &writer)
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(text.contains(#"tpgw_package_remaining_bytes{provider="bce",account="prod",region="bj",package_id="b",policy="fullTime",status="active"} 10737418240"#))
        #expect(text.contains(#"tpgw_source_up{provider="bce",account="prod",region="gz"} 0"#))
        #expect(!text.contains("package_id=\"gone\""))
    }

    /// A region that failed from the start has no known inventory: its pool is "unknown, never read", never an
    /// empty pool, and it never drives the "First pool empty" headline.
    @Test func statusPage_neverReadSource_isUnknown_notAnEmptyPool() {
        let bj = F.package("tp-a", region: "bj", used: 10 << 30)
        let view = F.view(packages: [bj], burning: ["tp-a": 1], sources: [
            F.source("bj"), F.source("gz", state: .failing, failures: 3, lastSuccess: nil, error: ("connection", "refused")),
        ])
        let model = StatusPageModel.build(view: view, usage: nil, alerts: [], refreshSeconds: 30, version: "1", now: F.now)
        for pool in model.pools where pool.region == "gz" {
            #expect(pool.unknown)
            #expect(pool.emptyAt == nil)
        }
        #expect(model.pools.first { $0.region == "bj" }?.unknown == false)
        let html = String(decoding: StatusPageRenderer.render(model, now: F.now), as: UTF8.self)
        #expect(!html.contains("empty now"))
    }

    @Test func statusPage_regionsAndTotals_countActivePackagesOnly() {
        let model = StatusPageModel.build(view: Self.view, usage: nil, alerts: [], refreshSeconds: 30, version: "9.9", now: F.now)
        #expect(model.regions.map(\.name) == ["bj", "gz"])
        #expect(model.regions[0].capacityBytes == 200 << 30 && model.regions[0].remainingBytes == 60 << 30)
        #expect(model.regions[1].remainingBytes == 90 << 30)
        #expect(model.packages.map(\.key.id).sorted() == ["a", "b", "c"])
        #expect(model.totalBurnBytesPerHour == Self.activeBurn && Self.activeBurn > Double(3 << 30))
        #expect(model.omittedPackages == 0)
        #expect(model.refreshSeconds == 30 && model.version == "9.9" && model.generatedAt == F.now)
    }

    @Test func statusPage_table_keepsTheMostUrgentRows_andCountsTheRest() {
        let model = StatusPageModel.build(view: Self.view, usage: nil, alerts: [], refreshSeconds: 30, version: "1", now: F.now, maxRows: 1)
        #expect(model.packages.map(\.key.id) == ["b"])
        #expect(model.omittedPackages == 2)
        #expect(model.totalBurnBytesPerHour == Self.activeBurn && Self.activeBurn > Double(3 << 30))
        let html = String(decoding: StatusPageRenderer.render(model, now: F.now), as: UTF8.self)
        #expect(html.contains("2 more active packages"))
    }

    @Test func statusPage_table_matchesTheRenderersRunwayOrder_includingTies() {
        // 40 packages: some burning at equal rates (equal exhaustion), some not burning with equal expiry.
        var packages: [PackageState] = []
        for i in 0..<40 {
            let id = "p" + String(format: "%02d", 39 - i)
            let used: Int64 = Int64(i % 4) << 30
            let days: Double = Double(10 + i % 3)
            packages.append(F.package(id, region: i % 2 == 0 ? "bj" : "gz", used: used, expiresInDays: days))
        }
        var burning: [String: Int64] = [:]
        for p in packages where p.key.id.hasSuffix("1") || p.key.id.hasSuffix("2") { burning[p.key.id] = 1 }
        let view = F.view(packages: packages, burning: burning, sources: [F.source("bj"), F.source("gz")])
        let all = StatusPageModel.build(view: view, usage: nil, alerts: [], refreshSeconds: 30, version: "1", now: F.now, maxRows: 1000)
        let top = StatusPageModel.build(view: view, usage: nil, alerts: [], refreshSeconds: 30, version: "1", now: F.now, maxRows: 7)
        let expected: [PackageKey] = StatusPageRenderer.runwayOrder(all.packages).prefix(7).map { $0.key }
        #expect(top.packages.map { $0.key } == expected)
        #expect(top.omittedPackages == 33)
    }

    @Test func statusPage_sources_showPendingAndTheLastError() {
        let model = StatusPageModel.build(view: Self.view, usage: nil, alerts: [], refreshSeconds: 30, version: "1", now: F.now)
        #expect(model.sources.map(\.status) == [.ok, .failing, .pending])
        #expect(model.sources[1].lastError == "InternalError: upstream 500")
        #expect(model.sources[0].lastError == nil)
    }

    @Test func statusPage_pools_carryTheirUsage_andAlertsPassThrough() {
        let bj = SourceID(account: "prod", region: "bj")
        var usage = PoolUsage(windowStart: F.now.addingTimeInterval(-7200), bucketSeconds: 3600, bucketCount: 2)
        usage.add(source: bj, bucketStart: F.now.addingTimeInterval(-3600), bytes: 42)
        let alert = StatusPageModel.Alert(title: "Pool runs empty", subject: "prod/bj", since: F.now, severity: .critical)
        let model = StatusPageModel.build(view: Self.view, usage: usage, alerts: [alert], refreshSeconds: 30, version: "1", now: F.now)
        #expect(model.pools.first { $0.region == "bj" }?.usage.map(\.usedBytes) == [0, 42])
        #expect(model.pools.first { $0.region == "su" }?.usage.map(\.usedBytes) == [0, 0])
        #expect(model.usageWindowSeconds == 7200)
        #expect(model.alerts == [alert])
        let html = String(decoding: StatusPageRenderer.render(model, now: F.now), as: UTF8.self)
        #expect(html.contains("Pools: usage over 2 h"))
    }
}
