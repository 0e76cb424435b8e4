import Synchronization

/// Counts observations into fixed cumulative buckets, with their sum and count.
package final class Histogram: MetricSeries {
    /// The finite upper bounds, strictly increasing; `+Inf` is implied.
    package let upperBounds: [Double]
    private let bucketPrefixes: [[UInt8]]
    private let sumPrefix: [UInt8]
    private let countPrefix: [UInt8]
    private let state: Mutex<State>

    private struct State {
        var counts: [UInt64]  // per bucket, not cumulative; the last one is +Inf
        var sum: Double = 0
    }

    /// Makes a series; families call this, callers use `MetricsRegistry`.
    /// - Parameters:
    ///   - buckets: finite upper bounds, strictly increasing and non-empty.
    package init(name: String, buckets: [Double], labelNames: [String] = [], labelValues: [String] = []) {
        precondition(Histogram.areValidBuckets(buckets), "histogram buckets must be finite, strictly increasing and non-empty")
        precondition(!labelNames.contains("le"), "`le` is reserved for histogram buckets")
        upperBounds = buckets
        let bucketName = Array((name + "_bucket").utf8)
        let bounds = buckets.map(PrometheusTextWriter.format) + ["+Inf"]
        bucketPrefixes = bounds.map { bound in
            bucketName + PrometheusTextWriter.labelBlock(names: labelNames, values: labelValues, extra: ("le", bound)) + [UInt8(ascii: " ")]
        }
        let block = PrometheusTextWriter.labelBlock(names: labelNames, values: labelValues)
        sumPrefix = Array((name + "_sum").utf8) + block + [UInt8(ascii: " ")]
        countPrefix = Array((name + "_count").utf8) + block + [UInt8(ascii: " ")]
        state = Mutex(State(counts: Array(repeating: 0, count: buckets.count + 1)))
    }

    /// Whether `buckets` can be used: non-empty, finite, strictly increasing.
    package static func areValidBuckets(_ buckets: [Double]) -> Bool {
        !buckets.isEmpty && buckets.allSatisfy(\.isFinite) && zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 }
    }

    /// Records one observation; it falls into the first bucket whose bound is `>=` it.
    package func observe(_ value: Double) {
        let index = bucketIndex(for: value)
        state.withLock { state in
            state.counts[index] &+= 1
            state.sum += value
        }
    }

    /// Records a duration in seconds.
    package func observe(_ duration: Duration) {
        observe(duration.timeInterval)
    }

    /// The cumulative count per bucket (the last is `+Inf`), the sum and the count of observations.
    package var snapshot: (cumulativeCounts: [UInt64], sum: Double, count: UInt64) {
        let (counts, sum) = state.withLock { ($0.counts, $0.sum) }
        var running: UInt64 = 0
        let cumulative = counts.map { running &+= $0; return running }
        return (cumulative, sum, running)
    }

    package func render(into writer: inout PrometheusTextWriter) {
        let (cumulative, sum, count) = snapshot
        for (prefix, value) in zip(bucketPrefixes, cumulative) {
            writer.write(prefix)
            writer.writeInteger(Int64(truncatingIfNeeded: value))
            writer.write(UInt8(ascii: "\n"))
        }
        writer.write(sumPrefix)
        writer.writeValue(sum)
        writer.write(UInt8(ascii: "\n"))
        writer.write(countPrefix)
        writer.writeInteger(Int64(truncatingIfNeeded: count))
        writer.write(UInt8(ascii: "\n"))
    }

    private func bucketIndex(for value: Double) -> Int {
        // Linear scan: bucket lists are short (≈10–15) and this stays branch-predictable.
        for (index, bound) in upperBounds.enumerated() where value <= bound {
            return index
        }
        return upperBounds.count
    }
}

extension Histogram {
    /// Buckets for HTTP request latencies served by tpgw: 1 ms … 10 s.
    package static let httpBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// Buckets for upstream (BCE) request latencies: 10 ms … 30 s.
    package static let upstreamBuckets: [Double] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
    /// Buckets for one source's whole poll: 50 ms … 5 min.
    package static let pollBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]
}
