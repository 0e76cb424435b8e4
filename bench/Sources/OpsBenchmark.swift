import Foundation
import Synchronization
import TPGWCore
import TPGWGateway
import TPGWHTTP
import TPGWStore

/// `tpgw-bench ops` (bench/ops/run.sh): a view of 100,000 packages (2 accounts x 11 regions) served by a real
/// `HTTPServer` with the real ops routes and middleware; `curl` measures `GET /metrics` and `GET /` end to end, cold
/// (first request after a new view), prepared (the background preparation got there first) and warm (cached). Then
/// the parts without HTTP: the in-process scrape, the inventory gauges, the status page model and its rendering.
enum OpsBenchmark {
    static let packageCount = 100_000
    static let sourceIDs = ["prod", "media"].flatMap { account in Regions.bce.map { SourceID(account: account, region: $0) } }

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
        // Every source polled successfully just now (state `ok`).
        let configured = sourceIDs.map { SourceConfig(id: $0, endpoint: "https://eip.\($0.region).baidubce.com") }
        let health = configured.map {
            SourceHealth(id: $0.id, endpoint: $0.endpoint, lastAttemptAt: now, lastSuccessAt: now, latencyMs: 90)
        }
        let sources = Application.sourceStatuses(configured: configured, health: health, now: now)
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
        let reply = String(decoding: data, as: UTF8.self)
        let parts = reply.split(separator: " ")
        guard parts.count == 3, parts[0] == "200", let seconds = Double(parts[1]), let bytes = Int(parts[2]) else {
            throw Bench.Failure(description: "GET \(url): \(reply)")
        }
        return (seconds * 1000, bytes)
    }

    static func median(_ values: [Double]) -> String {
        let sorted = values.sorted()
        return String(format: "%.1f ms (min %.1f, max %.1f, n=%d)", sorted[sorted.count / 2], sorted[0], sorted[sorted.count - 1], sorted.count)
    }

    static func measure(_ body: () -> Void) -> Double { Bench.ms(ContinuousClock().measure(body)) }

    /// The view the routes serve, replaced where a poll would have produced a new one.
    final class Served: Sendable {
        private let current: Mutex<GatewayView>
        init(_ view: GatewayView) { current = Mutex(view) }
        var view: GatewayView {
            get { current.withLock { $0 } }
            set { current.withLock { $0 = newValue } }
        }
    }

    static func run(_ env: [String: String]) async throws {
        let now = Date()
        let input = Self.input(now: now)
        // The served view: rebuilt from the same input at a later `now` wherever a poll would have produced a new one.
        let served = Served(GatewayView.build(input, now: now))
        func rebuild(at: Date) { served.view = GatewayView.build(input, now: at) }
        Bench.report("view_build_100k", Self.median((0..<3).map { _ in Self.measure { rebuild(at: now) } }))

        let ops = OpsRuntime()
        var usage = PoolUsage(windowStart: now.addingTimeInterval(-7 * 86_400), bucketSeconds: 3600, bucketCount: 168)
        for source in Self.sourceIDs {
            for hour in 0..<168 {
                usage.add(source: source, bucketStart: usage.windowStart.addingTimeInterval(Double(hour * 3600)), bytes: Int64(1 + hour % 24) << 30)
            }
        }
        let fixedUsage = usage
        await ops.poolUsage.refresh(now: now) { fixedUsage }
        let router = Router()
        router.add(middleware: MetricsMiddleware(metrics: ops.metrics))
        OpsRoutes(
            ops: ops, view: { served.view },
            auth: Authenticator(keys: KeyRing(load: { [] }), limiter: RateLimiter(rate: 50, burst: 100)),
            metricsPublic: true, statusPagePublic: true, refreshSeconds: 60
        ).register(on: router)
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), handler: router.makeHandler(), logger: .disabled)
        let port = try server.start()
        let running = Task { try await server.run() }
        let base = "http://127.0.0.1:\(port)"

        var coldScrape: [Double] = [], preparedScrape: [Double] = [], warmScrape: [Double] = []
        var coldPage: [Double] = [], preparedPage: [Double] = [], prepareTimes: [Double] = []
        var scrapeBytes = 0, pageBytes = 0
        do {
            for round in 0..<5 {
                // A new view (as after a poll), asked for at once: the scrape and the page are rendered in the request.
                // (A scrape within a second of the last one gets its bytes: wait that second out, here and below.)
                rebuild(at: now.addingTimeInterval(Double(2 * round + 1)))
                try await Task.sleep(for: .milliseconds(1100))
                let cold = try Self.curl(base + "/metrics")
                coldScrape.append(cold.ms)
                scrapeBytes = cold.bytes
                let page = try Self.curl(base + "/")
                coldPage.append(page.ms)
                pageBytes = page.bytes
                // A new view that the background preparation (`Application.opsPreparation`, once a second) got to first.
                rebuild(at: now.addingTimeInterval(Double(2 * round + 2)))
                let view = served.view
                prepareTimes.append(Self.measure { ops.prepare(view: view, refreshSeconds: 60, now: Date()) })
                try await Task.sleep(for: .milliseconds(1100))
                preparedScrape.append(try Self.curl(base + "/metrics").ms)
                preparedPage.append(try Self.curl(base + "/").ms)
                warmScrape.append(try Self.curl(base + "/metrics").ms)
            }
        } catch {
            await server.shutdown()
            running.cancel()
            throw error
        }
        await server.shutdown()
        running.cancel()
        Bench.report("metrics_scrape_cold_100k", Self.median(coldScrape))
        Bench.report("metrics_scrape_prepared_100k", Self.median(preparedScrape))
        Bench.report("metrics_scrape_again_100k", Self.median(warmScrape))
        Bench.report("background_prepare_100k", Self.median(prepareTimes))
        Bench.report("status_page_cold_100k", Self.median(coldPage))
        Bench.report("status_page_prepared_100k", Self.median(preparedPage))
        Bench.report("metrics_scrape_bytes", "\(scrapeBytes)")
        Bench.report("status_page_bytes", "\(pageBytes)")
        try Bench.check(scrapeBytes > 10_000_000, "the scrape of 100,000 packages is only \(scrapeBytes) bytes")

        // The scrape without HTTP: inventory from the view (cold only) and rendering the registry.
        var directCold: [Double] = [], directWarm: [Double] = [], inventoryBuild: [Double] = []
        for round in 0..<5 {
            rebuild(at: now.addingTimeInterval(Double(100 + round)))
            let view = served.view
            inventoryBuild.append(Self.measure { _ = InventoryMetrics(view: view, now: now) })
            // Scrapes are cached for a second: each measured one is 2 s after the previous, so it renders.
            let at = now.addingTimeInterval(Double(100 + 4 * round))
            directCold.append(Self.measure { _ = ops.scrape(view: view, now: at) })
            directWarm.append(Self.measure { _ = ops.scrape(view: view, now: at.addingTimeInterval(2)) })
        }
        Bench.report("scrape_in_process_cold_100k", Self.median(directCold))
        Bench.report("scrape_in_process_warm_100k", Self.median(directWarm))
        Bench.report("inventory_from_view_100k", Self.median(inventoryBuild))

        // The pure parts, without HTTP: model building (all 100k rows scanned, 300 shown) and rendering.
        let view = served.view
        var modelTimes: [Double] = [], renderTimes: [Double] = [], fullRenderTimes: [Double] = []
        var fullBytes = 0
        for _ in 0..<3 {
            var model: StatusPageModel?
            modelTimes.append(Self.measure {
                model = StatusPageModel.build(view: view, usage: fixedUsage, alerts: [], refreshSeconds: 60, version: "bench", now: now)
            })
            guard let model else { throw Bench.Failure(description: "no status page model") }
            renderTimes.append(Self.measure { _ = StatusPageRenderer.render(model, now: now) })
            let all = StatusPageModel.build(
                view: view, usage: fixedUsage, alerts: [], refreshSeconds: 60, version: "bench", now: now, maxRows: Self.packageCount)
            fullRenderTimes.append(Self.measure { fullBytes = StatusPageRenderer.render(all, now: now).count })
        }
        Bench.report("status_page_model_build_100k", Self.median(modelTimes))
        Bench.report("status_page_render_300_rows", Self.median(renderTimes))
        Bench.report("status_page_render_all_100k_rows", Self.median(fullRenderTimes) + ", \(fullBytes) bytes")
    }
}
