import Foundation
import Testing
@testable import TPGWCore
@testable import TPGWGateway

@Suite struct RateLimitTests {
    typealias F = ChannelFixtures

    @Test func dingtalk_allows20PerMinute_thenWaitsForTheOldestToLeave() {
        var limiter = SlidingWindowLimiter(format: .dingtalk)
        for i in 0..<20 {
            let ok = limiter.tryAcquire(now: F.now + Double(i))
            #expect(ok)
        }
        do { let ok = limiter.tryAcquire(now: F.now + 30); #expect(!ok) }
        #expect(limiter.nextAllowed(now: F.now + 30) == F.now + 60)
        do { let ok = limiter.tryAcquire(now: F.now + 60); #expect(ok) }
        do { let ok = limiter.tryAcquire(now: F.now + 60.5); #expect(!ok) }
        #expect(limiter.nextAllowed(now: F.now + 60.5) == F.now + 61)
    }

    @Test func feishu_enforcesBothFivePerSecondAndHundredPerMinute() {
        var limiter = SlidingWindowLimiter(format: .feishu)
        for i in 0..<5 {
            let ok = limiter.tryAcquire(now: F.now + Double(i) * 0.1)
            #expect(ok)
        }
        do { let ok = limiter.tryAcquire(now: F.now + 0.5); #expect(!ok) }
        #expect(limiter.nextAllowed(now: F.now + 0.5) == F.now + 1)
        var sent = 5
        var t = F.now + 1
        while t < F.now + 60 {
            if limiter.tryAcquire(now: t) { sent += 1 }
            t += 0.05
        }
        #expect(sent == 100)
        #expect(limiter.nextAllowed(now: F.now + 59.9) == F.now + 60)
    }

    @Test func unlimitedFormats_neverWait() {
        var limiter = SlidingWindowLimiter(format: .json)
        for _ in 0..<1000 { do { let ok = limiter.tryAcquire(now: F.now); #expect(ok) } }
    }
}
