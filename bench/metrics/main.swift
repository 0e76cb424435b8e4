import Foundation
import TPGWCore

// Measures one /metrics scrape of N packages (default 100,000) x 5 per-package series, plus the
// pool, source, process and handle-based families, in the build configuration it was built with.
// Usage: swift build -c release --product tpgw-bench-metrics && .build/release/tpgw-bench-metrics [packages] [runs]

let arguments = CommandLine.arguments.dropFirst()
let packageCount = arguments.first.flatMap(Int.init) ?? 100_000
let runs = arguments.dropFirst().first.flatMap(Int.init) ?? 10

let now = Date(timeIntervalSince1970: 1_732_262_400)
let accounts = ["prod", "staging", "media-cdn"]
let sources = accounts.flatMap { account in Regions.bce.map { SourceID(account: account, region: $0) } }

var packages: [InventoryMetrics.Package] = []
packages.reserveCapacity(packageCount)
for index in 0..<packageCount {
    let source = sources[index % sources.count]
    packages.append(
        .init(
            key: PackageKey(provider: "bce", account: source.account, region: source.region, id: "tp-\(String(index * 7919, radix: 36))Xq9"),
            policy: index % 3 == 0 ? .offPeak : .fullTime, status: index % 17 == 0 ? .usedUp : .active,
            capacityBytes: Int64(1 + index % 50) << 40, usedBytes: Int64(index) * 1_234_567_891,
            expiresAt: now.addingTimeInterval(Double(index % 365) * 86_400), exhaustsAt: index % 4 == 0 ? nil : now.addingTimeInterval(Double(index) * 37.5)))
}
let inventory = InventoryMetrics(
    packages: packages,
    pools: sources.map { .init(source: $0, remainingBytes: 5 << 40, activePackages: packageCount / sources.count, emptyAt: now) },
    sources: sources.map { .init(source: $0, up: true, lastSuccessAt: now, consecutiveFailures: 0, lastPollDuration: .milliseconds(84)) })

let registry = MetricsRegistry()
let metrics = GatewayMetrics(registry: registry)
for route in ["/v1/packages", "/v1/packages/{key}", "/v1/summary", "/metrics", "/"] {
    metrics.httpRequests.counter(["GET", route, "200"]).increment()
    metrics.httpRequestDuration.histogram(["GET", route, "200"]).observe(0.002)
}
let collector = InventoryMetricsCollector()
collector.update(inventory)
collector.register(on: registry)
ProcessMetrics(version: "bench").register(on: registry)

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
}

func report(_ label: String, _ timings: [Double]) {
    let sorted = timings.sorted()
    print(label + String(format: ": min=%.1fms median=%.1fms max=%.1fms", sorted.first!, sorted[sorted.count / 2], sorted.last!))
}

// Cold: the inventory changed since the last scrape (the worst case, after every poll).
var cold: [Double] = []
// Warm: a scrape repeats without a new poll in between (the inventory's bytes are cached).
var warm: [Double] = []
var size = 0
for _ in 0..<runs {
    collector.update(inventory)
    let start = ContinuousClock.now
    size = registry.renderBytes().count
    cold.append(milliseconds(ContinuousClock.now - start))
    let again = ContinuousClock.now
    _ = registry.renderBytes()
    warm.append(milliseconds(ContinuousClock.now - again))
}
let lines = registry.renderBytes().reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
print("packages=\(packageCount) lines=\(lines) bytes=\(size) runs=\(runs)")
report("full scrape, cold (inventory changed)", cold)
report("full scrape, warm (cached inventory)", warm)

// Breakdown: building the package table (escaping labels) versus writing it out.
do {
    var buildTimes: [Double] = []
    var writeTimes: [Double] = []
    for _ in 0..<runs {
        let t0 = ContinuousClock.now
        var table = MetricTable(labelNames: ["provider", "account", "region", "package_id", "policy", "status"],
            columns: (0..<5).map { MetricTable.Column(name: "tpgw_bench_column_\($0)_bytes", help: "Column.") }, reservingRows: packages.count)
        for package in packages {
            table.append(
                labelValues: [package.key.provider, package.key.account, package.key.region, package.key.id, package.policy.rawValue, package.status.rawValue],
                values: [Double(package.capacityBytes), Double(package.usedBytes), Double(package.remainingBytes), 1_732_262_400, .nan])
        }
        let t1 = ContinuousClock.now
        var writer = PrometheusTextWriter(reservingCapacity: size)
        table.write(into: &writer)
        let t2 = ContinuousClock.now
        buildTimes.append(milliseconds(t1 - t0))
        writeTimes.append(milliseconds(t2 - t1))
    }
    report("breakdown: build package table", buildTimes)
    report("breakdown: write package table", writeTimes)
}
