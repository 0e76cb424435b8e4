import Foundation
import TPGWCore

/// Bytes used per time bucket by each pool (the packages of one source), for the status page's sparklines.
///
/// The window covers the last 7 days, or less when tpgw has not been watching that long (then the buckets
/// shrink, down to 10 s, so a fresh installation already shows a shape). Only whole buckets are kept: the
/// current, partial one would look like a sudden drop.
package struct PoolUsage: Sendable, Equatable {
    /// The start of the first bucket.
    package var windowStart: Date
    var bucketSeconds: Int
    var bucketCount: Int
    /// Bytes used per bucket, oldest first, `bucketCount` long.
    var bySource: [SourceID: [Int64]]

    static let maxWindow: TimeInterval = 7 * 86_400
    static let targetBuckets = 84

    /// The window for `now` when the oldest source was registered at `watchingSince`. Pure.
    static func window(now: Date, watchingSince: Date?) -> (start: Date, bucketSeconds: Int, bucketCount: Int) {
        let watched = watchingSince.map { now.timeIntervalSince($0) } ?? 0
        let span = min(maxWindow, max(120, watched))
        let bucket = min(3600, max(10, Int((span / Double(targetBuckets)).rounded(.up))))
        let count = max(2, Int((span / Double(bucket)).rounded(.up)))
        let end = (now.timeIntervalSince1970 / Double(bucket)).rounded(.down) * Double(bucket)
        return (Date(timeIntervalSince1970: end - Double(count * bucket)), bucket, count)
    }

    /// An empty usage for a window (every bucket zero).
    package init(windowStart: Date, bucketSeconds: Int, bucketCount: Int, bySource: [SourceID: [Int64]] = [:]) {
        self.windowStart = windowStart
        self.bucketSeconds = bucketSeconds
        self.bucketCount = bucketCount
        self.bySource = bySource
    }

    /// Adds `bytes` to the bucket starting at `bucketStart` of `source`; rows outside the window are ignored.
    package mutating func add(source: SourceID, bucketStart: Date, bytes: Int64) {
        let index = Int(saturating: (bucketStart.timeIntervalSince(windowStart) / Double(bucketSeconds)).rounded(.down))
        guard index >= 0, index < bucketCount else { return }
        bySource[source, default: [Int64](repeating: 0, count: bucketCount)][index].saturatingAdd(max(0, bytes))
    }

    /// The sparkline points of one pool (all zero when nothing was used or recorded).
    func points(for source: SourceID) -> [StatusPageModel.Pool.UsagePoint] {
        let values = bySource[source] ?? [Int64](repeating: 0, count: bucketCount)
        return values.enumerated().map { index, bytes in
            .init(at: windowStart.addingTimeInterval(Double(index * bucketSeconds)), usedBytes: bytes)
        }
    }

    /// How much time the window covers.
    var windowSeconds: Int { bucketSeconds * bucketCount }
}
