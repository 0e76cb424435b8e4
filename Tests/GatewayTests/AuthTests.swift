import Foundation
import Testing
@testable import TPGWGateway

@Suite struct AuthTests {
    @Test func keysAreRandomAndVerifiedAgainstTheirHash() {
        let a = APIKey.generate(), b = APIKey.generate()
        #expect(a != b && a.hasPrefix("tpgw_") && a.count == 45)
        #expect(APIKey.matches(a, hash: APIKey.hash(a)))
        #expect(!APIKey.matches(b, hash: APIKey.hash(a)))
        #expect(!APIKey.hash(a).contains(a))
    }

    @Test func scopesAreHierarchical() {
        #expect(APIKey.grants([.admin], .read))
        #expect(APIKey.grants([.read, .write], .write))
        #expect(!APIKey.grants([.read], .write))
        #expect(!APIKey.grants([.write], .admin))
    }

    @Test func tokenBucketAllowsBurstThenRefills() {
        let t0 = Date(timeIntervalSince1970: 1000)
        var bucket = TokenBucket(rate: 2, burst: 3, now: t0)
        #expect(bucket.take(now: t0) == nil)
        #expect(bucket.take(now: t0) == nil)
        #expect(bucket.take(now: t0) == nil)
        let wait = bucket.take(now: t0)
        #expect(wait != nil && abs(wait! - 0.5) < 1e-9)
        #expect(bucket.take(now: t0.addingTimeInterval(0.5)) == nil)
        #expect(bucket.take(now: t0.addingTimeInterval(0.5)) != nil)
    }

    @Test func cursorRoundTripsAndRejectsTamperingAndOtherQueries() {
        let c = PageCursor(sortValue: "2026-11-22T08:00:00Z", lastKey: "bce:prod:bj:tp-1")
        let text = c.encode(queryFingerprint: "sort=expiresAt&region=bj")
        #expect(PageCursor.decode(text, queryFingerprint: "sort=expiresAt&region=bj") == c)
        #expect(PageCursor.decode(text, queryFingerprint: "sort=expiresAt&region=gz") == nil)
        #expect(PageCursor.decode("x" + text, queryFingerprint: "sort=expiresAt&region=bj") == nil)
        #expect(PageCursor.decode("!!!", queryFingerprint: "q") == nil)
        var bytes = Array(text)
        bytes[3] = bytes[3] == "A" ? "B" : "A"
        #expect(PageCursor.decode(String(bytes), queryFingerprint: "sort=expiresAt&region=bj") == nil)
    }
}
