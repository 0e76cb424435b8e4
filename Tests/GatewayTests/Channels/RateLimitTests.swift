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

    /// 25 events in 25 s on a DingTalk robot: 20 go out one by one, the other 5 wait and leave as one digest.
    @Test func digestFolder_foldsWhatWaitsIntoOneDelivery() {
        var folder = DigestFolder(format: .dingtalk)
        var deliveries: [[AlertEvent]] = []
        for i in 0..<25 {
            let out = folder.submit(ChannelFixtures.event(), now: F.now + Double(i))
            if !out.isEmpty { deliveries.append(out) }
        }
        #expect(deliveries.count == 20)
        #expect(folder.waiting.count == 5)
        let wake = folder.nextRelease(now: F.now + 25)
        #expect(wake == F.now + 60)
        do { let out = folder.release(now: F.now + 59); #expect(out.isEmpty) }
        let digest = folder.release(now: F.now + 60)
        #expect(digest.count == 5)
        #expect(folder.nextRelease(now: F.now + 60) == nil)
        let r = ChannelFormatter.makeRequest(events: digest, settings: F.settings(.dingtalk), deliveryID: "d", now: F.now + 60)
        #expect(String(decoding: r.body, as: UTF8.self).contains("[Digest] 5 alert updates"))
    }
}
