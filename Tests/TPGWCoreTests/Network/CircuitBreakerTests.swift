import Foundation
import Testing
@testable import TPGWCore

@Suite struct CircuitBreakerTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func opens_afterThresholdConsecutiveFailures() {
        var b = CircuitBreaker(configuration: .init(failureThreshold: 5, coolDown: 60))
        for _ in 0..<4 {
            do { let allowed = b.allowRequest(now: t0); #expect(allowed) }
            b.recordFailure(now: t0)
        }
        #expect(b.state == .closed(consecutiveFailures: 4))
        b.recordFailure(now: t0)
        #expect(b.state == .open(until: t0.addingTimeInterval(60)))
        do { let allowed = b.allowRequest(now: t0.addingTimeInterval(59)); #expect(!allowed) }
    }

    @Test func success_resetsTheCount() {
        var b = CircuitBreaker(configuration: .init(failureThreshold: 3, coolDown: 60))
        b.recordFailure(now: t0)
        b.recordFailure(now: t0)
        b.recordSuccess()
        b.recordFailure(now: t0)
        #expect(b.state == .closed(consecutiveFailures: 1))
    }

    @Test func afterCoolDown_oneProbeDecides_successCloses() {
        var b = CircuitBreaker(configuration: .init(failureThreshold: 1, coolDown: 60))
        b.recordFailure(now: t0)
        let later = t0.addingTimeInterval(60)
        do { let allowed = b.allowRequest(now: later); #expect(allowed) }
        #expect(b.state == .halfOpen)
        do { let allowed = b.allowRequest(now: later); #expect(!allowed, "only one probe at a time") }
        b.recordSuccess()
        do { let allowed = b.allowRequest(now: later); #expect(allowed) }
    }

    @Test func failedProbe_reopensForAnotherCoolDown() {
        var b = CircuitBreaker(configuration: .init(failureThreshold: 1, coolDown: 60))
        b.recordFailure(now: t0)
        let later = t0.addingTimeInterval(61)
        do { let allowed = b.allowRequest(now: later); #expect(allowed) }
        b.recordFailure(now: later)
        #expect(b.state == .open(until: later.addingTimeInterval(60)))
    }

    @Test func abandonedProbe_letsTheNextRequestProbe() {
        var b = CircuitBreaker(configuration: .init(failureThreshold: 1, coolDown: 60))
        b.recordFailure(now: t0)
        let later = t0.addingTimeInterval(61)
        do { let allowed = b.allowRequest(now: later); #expect(allowed) }
        b.recordAbandoned(now: later)
        do { let allowed = b.allowRequest(now: later); #expect(allowed) }
    }
}
