import Foundation

/// A value that goes up and down; safe to update from any thread.
package final class Gauge: MetricSeries {
    private let prefix: [UInt8]
    private let storage = AtomicDouble(0)

    /// Makes a series named `name` with the given labels; families call this, callers use `MetricsRegistry`.
    package init(name: String, labelNames: [String] = [], labelValues: [String] = []) {
        prefix = Array(name.utf8) + PrometheusTextWriter.labelBlock(names: labelNames, values: labelValues) + [UInt8(ascii: " ")]
    }

    /// The current value.
    package var value: Double { storage.load() }

    /// Sets the value.
    package func set(_ value: Double) {
        storage.store(value)
    }

    /// Sets the value to an integer.
    package func set(_ value: Int) {
        storage.store(Double(value))
    }

    /// Sets the value to a Unix timestamp in seconds (the `_timestamp_seconds` convention).
    package func set(_ date: Date) {
        storage.store(date.timeIntervalSince1970)
    }

    /// Adds `amount` (negative to decrease).
    package func increment(by amount: Double = 1) {
        storage.add(amount)
    }

    package func render(into writer: inout PrometheusTextWriter) {
        writer.write(prefix)
        writer.writeValue(storage.load())
        writer.write(UInt8(ascii: "\n"))
    }
}
