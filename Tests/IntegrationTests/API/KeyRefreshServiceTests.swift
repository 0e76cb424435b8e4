import Foundation
import Testing
import TPGWCore
import TPGWHTTP
import TPGWTestSupport
@testable import TPGWGateway

/// The key refresh is a service on a clock: tests advance a manual clock instead of waiting 5 s.
@Suite(.enabled(if: TestDatabase.isConfigured, "set TPGW_TEST_DATABASE_URL"))
struct KeyRefreshServiceTests {
    @Test func usedKeys_areRecorded_onTheNextTickOfTheClock() async throws {
        try await TestDatabase.with { db in
            let config = try GatewayConfiguration.load(path: nil, environment: ["TPGW_DATABASE_URL": db.url])
            let app = try Gateway.make(configuration: config, clock: ContinuousClock(), logger: .disabled)
            app.registerRoutes(refresh: { _, _ in [] })
            let key = try await app.createKey(name: "reader", scopes: ["read"])
            try await app.keys.reload()
            let handler = app.router.makeHandler()
            let request = HTTPRequest(method: .GET, target: "/v1/budgets", headers: ["Authorization": "Bearer \(key)"], body: [])
            #expect(try await handler(request, RequestContext.make(for: request, logger: .disabled)).status.code == 200)

            let clock = ManualClock()
            let shutdown = ShutdownSignal()
            let service = Task { try await app.keyRefresh(clock: clock).run(until: shutdown) }
            await clock.waitForSleepers(1)
            #expect(try await db.store.apiKeys(includeRevoked: false).first?.lastUsedAt == nil, "nothing before the tick")
            clock.advance(by: .seconds(5))
            var recorded = false
            for _ in 0..<200 where !recorded {
                recorded = try await db.store.apiKeys(includeRevoked: false).first?.lastUsedAt != nil
                if !recorded { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(recorded)
            shutdown.trigger()
            try await service.value
            await app.shutdown()
        }
    }
}
