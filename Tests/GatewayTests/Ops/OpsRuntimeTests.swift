import Foundation
import TPGWCore
import TPGWHTTP
import Testing
@testable import TPGWGateway

@Suite struct OpsRuntimeTests {
    typealias F = OpsFixtures

    static func view(at time: Date, used: Int64) -> GatewayView {
        GatewayView.build(.init(packages: [F.package("a", used: used)], history: [:], sources: [F.source("bj")]), now: time)
    }

    @Test func scrape_showsTheViewsPackages_andNeverGoesBackToAnOlderView() {
        let ops = OpsRuntime(version: "1.2.3")
        let newer = Self.view(at: F.now, used: 7)
        let older = Self.view(at: F.now.addingTimeInterval(-60), used: 3)
        let text = String(decoding: ops.scrape(view: newer, now: F.now), as: UTF8.self)
        #expect(text.contains(#"tpgw_package_used_bytes{provider="bce",account="prod",region="bj",package_id="a",policy="fullTime",status="active"} 7"#))
        #expect(text.contains(#"tpgw_build_info{version="1.2.3"} 1"#))
        ops.syncInventory(with: older, now: F.now)
        #expect(ops.inventory.current.packages.first?.usedBytes == 7)
    }

    @Test func prepare_rendersAheadOnlyWhatWasAskedForLately() {
        let ops = OpsRuntime()
        let view = Self.view(at: F.now, used: 7)
        ops.prepare(view: view, refreshSeconds: 30, now: F.now)
        #expect(ops.inventory.current.packages.isEmpty, "nobody scraped yet: nothing prepared")
        _ = ops.scrape(view: Self.view(at: F.now.addingTimeInterval(-5), used: 1), now: F.now)
        ops.prepare(view: view, refreshSeconds: 30, now: F.now.addingTimeInterval(1))
        #expect(ops.inventory.current.packages.first?.usedBytes == 7)
        let later = Self.view(at: F.now.addingTimeInterval(10), used: 9)
        ops.prepare(view: later, refreshSeconds: 30, now: F.now.addingTimeInterval(700))
        #expect(ops.inventory.current.packages.first?.usedBytes == 7, "no scrape for 10 minutes: preparation stops")
    }

    @Test func statusPage_isReused_untilTheViewAlertsOrAgeChange() {
        let ops = OpsRuntime()
        let view = Self.view(at: F.now, used: 7)
        let first = ops.statusPage(view: view, refreshSeconds: 30, now: F.now)
        // Same inputs, 5 s later: the same bytes (relative times still say what they said).
        #expect(ops.statusPage(view: view, refreshSeconds: 30, now: F.now.addingTimeInterval(5)) == first)
        ops.setFiringAlerts([.init(title: "Source stale", subject: "prod/bj", since: F.now, severity: .warning)])
        let withAlert = String(decoding: ops.statusPage(view: view, refreshSeconds: 30, now: F.now.addingTimeInterval(6)), as: UTF8.self)
        #expect(withAlert.contains("Source stale"))
        #expect(withAlert.contains("<title>(1) tpgw"))
        let newer = Self.view(at: F.now.addingTimeInterval(7), used: 8)
        #expect(ops.statusPage(view: newer, refreshSeconds: 30, now: F.now.addingTimeInterval(8)) != first)
    }

    @Test func middleware_countsByRouteTemplateAndStatus_includingErrorsAndUnknownPaths() async throws {
        let ops = OpsRuntime()
        let router = Router()
        router.add(middleware: MetricsMiddleware(metrics: ops.metrics))
        router.add(middleware: APIErrorMiddleware())
        router.get("/v1/packages/{key}", use: { _, context in
            if context.parameters["key"] == "missing" { throw AppError(.notFound, "no such package") }
            return .text("ok")
        })
        router.get("/boom", use: { _, _ in throw HTTPProblem(.badGateway, code: "x", detail: "y") })
        let handler = router.makeHandler()
        func send(_ method: HTTPMethod, _ path: String) async throws -> Int {
            let request = HTTPRequest(method: method, target: path, version: .http1_1, headers: [:], body: [])
            return try await handler(request, RequestContext.make(for: request, logger: .disabled)).status.code
        }
        #expect(try await send(.GET, "/v1/packages/bce:prod:bj:tp-1") == 200)
        #expect(try await send(.GET, "/v1/packages/bce:prod:bj:tp-2") == 200)
        #expect(try await send(.GET, "/v1/packages/missing") == 404)
        #expect(try await send(.POST, "/v1/packages/x") == 405)
        #expect(try await send(.GET, "/secret-token-in-path") == 404)
        #expect(try await send(.GET, "/boom") == 502)
        let text = ops.registry.render()
        #expect(text.contains(#"tpgw_http_requests_total{method="GET",route="/v1/packages/{key}",status="200"} 2"#))
        #expect(text.contains(#"tpgw_http_requests_total{method="GET",route="/v1/packages/{key}",status="404"} 1"#))
        #expect(text.contains(#"tpgw_http_requests_total{method="POST",route="/v1/packages/{key}",status="405"} 1"#))
        #expect(text.contains(#"tpgw_http_requests_total{method="GET",route="NotFound",status="404"} 1"#))
        #expect(text.contains(#"tpgw_http_requests_total{method="GET",route="/boom",status="502"} 1"#))
        #expect(text.contains(#"tpgw_http_request_duration_seconds_count{method="GET",route="/v1/packages/{key}",status="200"} 2"#))
        #expect(!text.contains("secret-token"))
        #expect(!text.contains("tp-1"))
    }
}

@Suite struct OpsScrapeCacheTests {
    @Test func concurrentScrapes_renderOnceASecond_andShareOneBuffer() async {
        let ops = OpsRuntime(version: "1.2.3")
        let view = OpsRuntimeTests.view(at: OpsFixtures.now, used: 7)
        let now = OpsFixtures.now
        let bodies = await withTaskGroup(of: [UInt8].self) { group in
            for i in 0..<32 { group.addTask { ops.scrape(view: view, now: now.addingTimeInterval(Double(i) / 100)) } }
            return await group.reduce(into: [[UInt8]]()) { $0.append($1) }
        }
        #expect(ops.scrapeRenderCount == 1)
        let first = bodies[0].withUnsafeBufferPointer { $0.baseAddress }
        #expect(bodies.allSatisfy { body in body.withUnsafeBufferPointer { $0.baseAddress } == first }, "one storage, no copies")
        _ = ops.scrape(view: view, now: now.addingTimeInterval(0.9))
        #expect(ops.scrapeRenderCount == 1)
        _ = ops.scrape(view: view, now: now.addingTimeInterval(1.5))
        #expect(ops.scrapeRenderCount == 2)
    }
}
