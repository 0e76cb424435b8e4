import Foundation
import TPGWCore
import TPGWHTTP
import Testing
@testable import TPGWGateway

/// `bench/ops/run.sh` runs this with `TPGW_BENCH_OPS=1` (release build); it prints `BENCH name=value` lines.
///
/// A view of 100,000 packages (2 accounts x 11 regions) is served by a real `HTTPServer` with the real ops routes
/// and middleware; `curl` measures `GET /metrics` and `GET /` end to end, cold (first request after a new view)
/// and warm (cached).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["TPGW_BENCH_OPS"] == "1"))
struct OpsBenchmark {
    static let packageCount = 100_000

    private func report(_ name: String, _ value: String) {
        print("BENCH \(name)=\(value)")
    }

    static func input(now: Date) -> GatewayView.Input {
        let regions = Regions.bce
        var packages: [PackageState] = []
        var history: [PackageKey: [Snapshot]] = [:]
        packages.reserveCapacity(packageCount)
        for i in 0..<packageCount {
            let account = i % 2 == 0 ? "prod" : "media"
            let region = regions[(i / 2) % regions.count]
            let capacity = Int64([10, 50, 100, 500, 1024][i % 5]) << 30
            let used = capacity / 1000 * Int64(i % 1000)
            let p = PackageState(
                key: PackageKey(provider: "bce", account: account, region: region, id: "tp-" + String(1_000_000 + i, radix: 36)),
                policy: i % 3 == 0 ? .offPeak : .fullTime, status: i % 50 == 0 ? .usedUp : .active, capacityBytes: capacity,
                usedBytes: used, createdAt: now.addingTimeInterval(-30 * 86_400), activatedAt: now.addingTimeInterval(-30 * 86_400),
                expiresAt: now.addingTimeInterval(Double(1 + i % 300) * 86_400), observedAt: now)
            packages.append(p)
            if i % 4 != 0 {
                history[p.key] = [
                    Snapshot(observedAt: now.addingTimeInterval(-86_400), usedBytes: max(0, used - capacity / 200), capacityBytes: capacity, status: .active),
                    Snapshot(observedAt: now, usedBytes: used, capacityBytes: capacity, status: p.status),
                ]
            }
        }
        let sources = ["prod", "media"].flatMap { account in
            regions.map { region in
                SourceStatus(
                    id: SourceID(account: account, region: region), endpoint: "https://eip.\(region).baidubce.com", state: .ok,
                    lastSuccessAt: now, lastAttemptAt: now, lastErrorCode: nil, lastErrorMessage: nil, consecutiveFailures: 0, latencyMs: 90)
            }
        }
        return .init(packages: packages, history: history, sources: sources)
    }

    /// `curl` time for one GET, in milliseconds, and the body size.
    static func curl(_ url: String) throws -> (ms: Double, bytes: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total} %{size_download}", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let parts = String(decoding: data, as: UTF8.self).split(separator: " ")
        guard parts.count == 3, parts[0] == "200", let seconds = Double(parts[1]), let bytes = Int(parts[2]) else {
            throw CocoaError(.fileReadUnknown)
        }
        return (seconds * 1000, bytes)
    }

    static func ms(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    static func median(_ values: [Double]) -> String {
        let sorted = values.sorted()
        return String(format: "%.1f ms (min %.1f, max %.1f, n=%d)", sorted[sorted.count / 2], sorted[0], sorted[sorted.count - 1], sorted.count)
    }

    @Test func scrapeAndStatusPage_of100kPackages_throughTheRealRoutes() async throws {
        let now = Date()
        let input = Self.input(now: now)
        let clock = ContinuousClock()
        let views = ViewStore(load: { _ in input }, probe: { [:] }, logger: .disabled)
        let buildTime = try await clock.measure { try await views.rebuild(now: now) }
        report("view_build_100k", "\(buildTime)")

        let ops = OpsRuntime()
        var usage = PoolUsage(windowStart: now.addingTimeInterval(-7 * 86_400), bucketSeconds: 3600, bucketCount: 168)
        for source in input.sources {
            for hour in 0..<168 { usage.add(source: source.id, bucketStart: usage.windowStart.addingTimeInterval(Double(hour * 3600)), bytes: Int64(1 + hour % 24) << 30) }
        }
        let fixedUsage = usage
        await ops.poolUsage.refresh(now: now) { fixedUsage }
        let router = Router()
        router.add(middleware: MetricsMiddleware(metrics: ops.metrics))
        OpsRoutes(
            ops: ops, views: views, auth: Authenticator(keys: KeyRing(load: { [] }), limiter: RateLimiter(rate: 50, burst: 100)),
            metricsPublic: true, statusPagePublic: true, refreshSeconds: 60
        ).register(on: router)
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), handler: router.makeHandler(), logger: .disabled)
        let port = try server.start()
        let running = Task { try await server.run() }
        defer { running.cancel() }
        let base = "http://127.0.0.1:\(port)"

        var coldScrape: [Double] = [], preparedScrape: [Double] = [], warmScrape: [Double] = []
        var coldPage: [Double] = [], preparedPage: [Double] = [], prepareTimes: [Double] = []
        var scrapeBytes = 0, pageBytes = 0
        for round in 0..<5 {
            // A new view (as after a poll), asked for at once: the scrape and the page are rendered in the request.
            try await views.rebuild(now: now.addingTimeInterval(Double(2 * round + 1)))
            let cold = try Self.curl(base + "/metrics")
            coldScrape.append(cold.ms)
            scrapeBytes = cold.bytes
            let page = try Self.curl(base + "/")
            coldPage.append(page.ms)
            pageBytes = page.bytes
            // A new view that the background preparation (`registerOpsRoutes`, once a second) got to first.
            try await views.rebuild(now: now.addingTimeInterval(Double(2 * round + 2)))
            let view = views.current
            prepareTimes.append(Self.ms(clock.measure { ops.prepare(view: view, refreshSeconds: 60, now: Date()) }))
            preparedScrape.append(try Self.curl(base + "/metrics").ms)
            preparedPage.append(try Self.curl(base + "/").ms)
            warmScrape.append(try Self.curl(base + "/metrics").ms)
        }
        report("metrics_scrape_cold_100k", Self.median(coldScrape))
        report("metrics_scrape_prepared_100k", Self.median(preparedScrape))
        report("metrics_scrape_again_100k", Self.median(warmScrape))
        report("background_prepare_100k", Self.median(prepareTimes))
        report("status_page_cold_100k", Self.median(coldPage))
        report("status_page_prepared_100k", Self.median(preparedPage))
        report("metrics_scrape_bytes", "\(scrapeBytes)")
        report("status_page_bytes", "\(pageBytes)")

        // The scrape without HTTP: inventory from the view (cold only) and rendering the registry.
        var directCold: [Double] = [], directWarm: [Double] = [], inventoryBuild: [Double] = []
        for round in 0..<5 {
            try await views.rebuild(now: now.addingTimeInterval(Double(100 + round)))
            let view = views.current
            inventoryBuild.append(Self.ms(clock.measure { _ = InventoryMetrics(view: view, now: now) }))
            // Scrapes are cached for a second: each measured one is 2 s after the previous, so it renders.
            let at = now.addingTimeInterval(Double(100 + 4 * round))
            directCold.append(Self.ms(clock.measure { _ = ops.scrape(view: view, now: at) }))
            directWarm.append(Self.ms(clock.measure { _ = ops.scrape(view: view, now: at.addingTimeInterval(2)) }))
        }
        report("scrape_in_process_cold_100k", Self.median(directCold))
        report("scrape_in_process_warm_100k", Self.median(directWarm))
        report("inventory_from_view_100k", Self.median(inventoryBuild))

        // The pure parts, without HTTP: model building (all 100k rows scanned, 300 shown) and rendering.
        let view = views.current
        var modelTimes: [Double] = [], renderTimes: [Double] = [], fullRenderTimes: [Double] = []
        var fullBytes = 0
        for _ in 0..<3 {
            var model: StatusPageModel?
            modelTimes.append(Self.ms(clock.measure {
                model = StatusPageModel.build(view: view, usage: fixedUsage, alerts: [], refreshSeconds: 60, version: "bench", now: now)
            }))
            renderTimes.append(Self.ms(clock.measure { _ = StatusPageRenderer.render(model!, now: now) }))
            let all = StatusPageModel.build(
                view: view, usage: fixedUsage, alerts: [], refreshSeconds: 60, version: "bench", now: now, maxRows: Self.packageCount)
            fullRenderTimes.append(Self.ms(clock.measure { fullBytes = StatusPageRenderer.render(all, now: now).count }))
        }
        report("status_page_model_build_100k", Self.median(modelTimes))
        report("status_page_render_300_rows", Self.median(renderTimes))
        report("status_page_render_all_100k_rows", Self.median(fullRenderTimes) + ", \(fullBytes) bytes")
        await server.shutdown()
        #expect(scrapeBytes > 10_000_000)
    }
}
