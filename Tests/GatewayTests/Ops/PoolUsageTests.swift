import Foundation
import TPGWCore
import Testing
@testable import TPGWGateway

@Suite struct PoolUsageTests {
    let now = OpsFixtures.now.addingTimeInterval(1234)

    @Test(arguments: [
        // watched for, expected bucket seconds, expected bucket count
        (nil as TimeInterval?, 10, 12),
        (60.0, 10, 12),
        (600.0, 10, 60),
        (3600.0, 43, 84),
        (86_400.0, 1029, 84),
        (7 * 86_400.0, 3600, 168),
        (90 * 86_400.0, 3600, 168),
    ])
    func window_growsWithHowLongTPGWHasWatched_upToSevenDaysOfHours(watched: TimeInterval?, bucket: Int, count: Int) {
        let w = PoolUsage.window(now: now, watchingSince: watched.map { now.addingTimeInterval(-$0) })
        #expect(w.bucketSeconds == bucket)
        #expect(w.bucketCount == count)
        // Whole buckets only: the window ends at the start of the current bucket, aligned to the bucket size.
        let end = w.start.addingTimeInterval(Double(w.bucketSeconds * w.bucketCount))
        #expect(end <= now && now.timeIntervalSince(end) < Double(w.bucketSeconds))
        #expect(end.timeIntervalSince1970.truncatingRemainder(dividingBy: Double(w.bucketSeconds)) == 0)
    }

    @Test func add_placesBytesInTheirBucket_andIgnoresRowsOutsideTheWindow() {
        let source = SourceID(account: "prod", region: "bj")
        var usage = PoolUsage(windowStart: now, bucketSeconds: 60, bucketCount: 3)
        usage.add(source: source, bucketStart: now, bytes: 5)
        usage.add(source: source, bucketStart: now.addingTimeInterval(120), bytes: 7)
        usage.add(source: source, bucketStart: now.addingTimeInterval(120), bytes: 1)
        usage.add(source: source, bucketStart: now.addingTimeInterval(-60), bytes: 100)
        usage.add(source: source, bucketStart: now.addingTimeInterval(180), bytes: 100)
        #expect(usage.points(for: source).map(\.usedBytes) == [5, 0, 8])
        #expect(usage.points(for: source).map(\.at) == [now, now.addingTimeInterval(60), now.addingTimeInterval(120)])
        #expect(usage.points(for: SourceID(account: "prod", region: "gz")).map(\.usedBytes) == [0, 0, 0])
        #expect(usage.windowSeconds == 180)
    }

    @Test func cache_loadsWhenDue_keepsTheLastGoodValueOnFailure() async {
        struct Boom: Error {}
        let cache = PoolUsageCache()
        let usage = PoolUsage(windowStart: now, bucketSeconds: 60, bucketCount: 2)
        #expect(cache.isDue(now: now))
        await cache.refresh(now: now) { usage }
        #expect(cache.current.usage == usage)
        #expect(cache.current.generation == 1)
        #expect(!cache.isDue(now: now.addingTimeInterval(59)))
        #expect(cache.isDue(now: now.addingTimeInterval(60)))
        await cache.refresh(now: now.addingTimeInterval(60)) { throw Boom() }
        #expect(cache.current.usage == usage)
        #expect(cache.current.generation == 1)
    }
}
