import Foundation
import TPGWCore

/// A package's usage bucketed by hour or day, computed from snapshots (or hourly rollups).
struct UsageSeries: Sendable, Equatable, Encodable {
    enum Step: String, Sendable, Encodable {
        case hour = "1h", day = "1d"
        var seconds: TimeInterval { self == .hour ? 3600 : 86400 }
    }

    struct Point: Sendable, Equatable, Encodable {
        var t: Date
        var usedBytes: Int64
        /// Consumption since the previous bucket; nil after a gap (no observation in the previous bucket).
        var deltaBytes: Int64?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(RFC3339.format(t), forKey: .t)
            try c.encode(usedBytes, forKey: .usedBytes)
            try c.encode(deltaBytes, forKey: .deltaBytes)
        }
        enum CodingKeys: String, CodingKey { case t, usedBytes, deltaBytes }
    }

    var key: String
    var step: Step
    var from: Date
    var to: Date
    var points: [Point]

    /// Buckets observations (time, used bytes) into steps. Each bucket reports the last observation in it;
    /// buckets without observations are omitted (gaps stay gaps, never zeros), and the delta after a gap is nil.
    /// Deltas are never negative: a used amount that goes down (a provider correction) counts as no consumption.
    static func make(key: String, observations: [(at: Date, usedBytes: Int64)], from: Date, to: Date, step: Step) -> UsageSeries {
        let sorted = observations.filter { $0.at >= from && $0.at < to }.sorted { $0.at < $1.at }
        var points: [Point] = []
        var currentBucket: Int64?
        var previousBucketUsed: Int64?  // last used amount of the bucket before the current one, when contiguous
        for observation in sorted {
            let bucket = Int64(saturating: (observation.at.timeIntervalSince1970 / step.seconds).rounded(.down))
            if bucket != currentBucket {
                let contiguous = currentBucket.map { bucket == $0.saturatingAdding(1) } ?? false
                previousBucketUsed = contiguous ? points.last?.usedBytes : nil
                points.append(Point(t: Date(timeIntervalSince1970: Double(bucket) * step.seconds), usedBytes: 0, deltaBytes: nil))
                currentBucket = bucket
            }
            points[points.count - 1].usedBytes = observation.usedBytes
            points[points.count - 1].deltaBytes = previousBucketUsed.map { max(0, observation.usedBytes.saturatingSubtracting($0)) }
        }
        return UsageSeries(key: key, step: step, from: from, to: to, points: points)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(step, forKey: .step)
        try c.encode(RFC3339.format(from), forKey: .from)
        try c.encode(RFC3339.format(to), forKey: .to)
        try c.encode(points, forKey: .points)
    }
    enum CodingKeys: String, CodingKey { case key, step, from, to, points }
}
