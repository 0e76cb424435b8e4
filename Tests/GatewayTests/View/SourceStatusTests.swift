import Foundation
import Testing
import TPGWCore
import TPGWStore
@testable import TPGWGateway

/// The one derivation of a source's status (`SourceStatus.derive`): stored health plus this replica's breaker.
struct SourceStatusTests {
    @Test func theRealCircuitBreaker_makesASourceOpen() {
        let source = SourceConfig(id: SourceID(account: "a", region: "bj"), endpoint: "http://x", pollIntervalSeconds: 60)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        // Many failures but the breaker closed (another replica polls it): failing. Breaker open here: open.
        let health = SourceHealth(id: source.id, endpoint: "http://x", lastAttemptAt: now, consecutiveFailures: 9)
        #expect(SourceStatus.derive(source, health: health, breakerOpen: false, now: now).state == .failing)
        #expect(SourceStatus.derive(source, health: health, breakerOpen: true, now: now).state == .open)
        #expect(SourceStatus.derive(source, health: nil, breakerOpen: false, now: now).state == .pending)
        #expect(!SourceStatus.derive(source, health: health, breakerOpen: false, now: now).inventoryKnown)
    }
}
