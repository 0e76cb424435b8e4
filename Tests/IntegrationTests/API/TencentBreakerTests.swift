import Foundation
import Testing
import TPGWCore
import TPGWTestSupport
@testable import tencent_sim
@testable import TPGWGateway

/// Tencent reads go through the one circuit breaker BCE's use, built by the composition root, and its state reaches
/// the one source-health model: a region down for five reads in a row is `open`, is not called until the cool-down
/// ends, then one probe closes it. The gateway runs on a manual clock (its clients' retry waits too).
@Suite(.enabled(if: TestDatabase.isConfigured))
struct TencentBreakerTests {
    static let secretID = "AKIDtpgwBreaker000000000000000000000"
    static let secretKey = "tpgw-breaker-secret-key-000000000000"

    @Test func aTencentRegionDownForFiveReads_isOpen_isNotCalledUntilTheCoolDown_thenOneProbeClosesIt() async throws {
        let sim = try await TencentSimServer.start(
            regions: ["ap-guangzhou", "ap-shanghai"], secretID: Self.secretID, secretKey: Self.secretKey, packagesPerRegion: 5, seed: 3)
        var down = TencentSimFault()
        down.httpStatus = 502
        sim.setFault(region: "ap-shanghai", down)
        try await TestDatabase.with { db in
            var config = GatewayConfiguration()
            config.databaseURL = db.url
            config.migrationsDir = TestDatabase.migrationsDirectory
            config.pollIntervalSeconds = 3600
            var account = AccountConfiguration(name: "tc", accessKeyId: Self.secretID, secret: Self.secretKey, regions: ["ap-guangzhou", "ap-shanghai"])
            account.provider = "tencent"
            account.endpoint = sim.baseURL
            account.regionsGiven = true
            config.accounts = [account]
            let clock = ManualClock()
            let origin = Date()
            let app = try Gateway.make(configuration: config, clock: clock, now: { clock.date(from: origin) }, logger: .disabled)
            let poller = app.makePoller()
            try await poller.register()
            let shanghai = SourceID(provider: "tencent", account: "tc", region: "ap-shanghai")

            /// A refresh of `region`, moving the manual clock whenever the client waits to retry.
            func refresh(_ region: String) async throws -> RefreshOutcome {
                let finished = LockedValue(false)
                let task = Task {
                    defer { finished.withLock { $0 = true } }
                    return try await poller.refresh(account: "tc", region: region)
                }
                while !finished.value {
                    if clock.sleeperCount > 0 { clock.advance(by: .seconds(10)) }
                    try await Task.sleep(for: .milliseconds(2))
                }
                return try #require(try await task.value.first)
            }
            func status(_ region: String) async throws -> SourceStatus.State? {
                try await app.views.rebuild()
                return app.views.current.sources.first { $0.id.region == region }?.state
            }

            for _ in 0..<5 { #expect(try await refresh("ap-shanghai").outcome == "readFailed") }
            #expect(try await refresh("ap-guangzhou").outcome == "ok")
            #expect(try await status("ap-shanghai") == .open)
            #expect(try await status("ap-guangzhou") == .ok)

            // Open: the next read sends nothing.
            let sent = sim.requestCount(region: "ap-shanghai")
            let skipped = try await refresh("ap-shanghai")
            #expect(skipped.errorCode == "circuitOpen")
            #expect(sim.requestCount(region: "ap-shanghai") == sent)

            // After the cool-down (60 s) one probe goes out; the region is back, so the breaker closes.
            sim.clearFaults()
            clock.advance(by: .seconds(61))
            #expect(try await refresh("ap-shanghai").outcome == "ok")
            #expect(sim.requestCount(region: "ap-shanghai") > sent)
            #expect(try await status("ap-shanghai") == .ok)
            #expect(app.sourceReader.breakerOpen(shanghai, now: clock.date(from: origin)) == false)
            await app.shutdown()
        }
        await sim.stop()
    }
}
