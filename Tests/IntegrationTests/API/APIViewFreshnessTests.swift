import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
import TPGWStore
@testable import TPGWGateway

/// The read view follows the database one source at a time on a live gateway: after its own poll, and after a
/// change written by another replica, without anyone calling `rebuild()`.
@Suite(.enabled(if: TestDatabase.isConfigured)) struct APIViewFreshnessTests {
    /// Waits (bounded) until `condition` holds, re-checking every 50 ms.
    private func eventually(_ seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    @Test func aPoll_showsUpWithoutARebuildCall() async throws {
        try await GatewayHarness.with(poll: false) { gw in
            let before = try await gw.request("GET", "/v1/summary")
            #expect((before.json["total"] as? [String: Any])?["packageCount"] as? Int == 0)
            let refresh = try await gw.request("POST", "/v1/refresh", key: "write")
            #expect(refresh.status == 200)
            let shown = try await eventually {
                let r = try await gw.request("GET", "/v1/summary")
                return (r.json["total"] as? [String: Any])?["packageCount"] as? Int == 60
            }
            #expect(shown, "both sources' 30 packages appear in the summary")
        }
    }

    @Test func anotherReplicasWrite_rebuildsOnlyThatSource() async throws {
        try await GatewayHarness.with { gw in
            let bj = SourceID(account: "prod", region: "bj"), gz = SourceID(account: "prod", region: "gz")
            let view = gw.app.views.current
            let gzBefore = try #require(view.segment(gz))
            let bjBuilt = try #require(view.segment(bj)).builtAt
            let first = try #require(view.segment(bj)?.packages.first(where: { $0.status == .active }))

            // Another replica polls bj: same listing, one package used up a little more.
            let listing = try #require(view.segment(bj)).packages.filter { $0.status != .released }.map { p in
                var state = p
                if p.key == first.key { state.usedBytes = min(p.capacityBytes, p.usedBytes + (1 << 20)) }
                return ObservedPackage(state: state, raw: "{\"id\":\"\(p.key.id)\"}")
            }
            let at = Date()
            _ = try await gw.db.store.applyPoll(source: bj, startedAt: at, observedAt: at, packages: listing, latency: .milliseconds(5))

            let path = "/v1/packages/" + first.key.description
            let seen = try await eventually {
                (try await gw.request("GET", path).json["usedBytes"] as? NSNumber).map(\.int64Value).map { $0 == min(first.capacityBytes, first.usedBytes + (1 << 20)) } ?? false
            }
            #expect(seen, "the change is served within the version probe interval")
            let after = gw.app.views.current
            #expect(try #require(after.segment(bj)).builtAt > bjBuilt)
            // The gateway's own poller may still finish its first poll of gz after the harness's refresh (a start polls
            // every due source): that moves gz's version and rightly rebuilds it. What must not happen is a rebuild of
            // gz for bj's write.
            let gzAfter = try #require(after.segment(gz))
            #expect(gzAfter.builtAt == gzBefore.builtAt || gzAfter.version != gzBefore.version,
                    "the other source's segment was rebuilt although its stored version did not move")
        }
    }
}
