/// A monotonically increasing value; safe to increment from any thread.
package final class Counter: MetricSeries {
    private let prefix: [UInt8]
    private let storage = AtomicDouble(0)

    /// Makes a series named `name` with the given labels; families call this, callers use `MetricsRegistry`.
    package init(name: String, labelNames: [String] = [], labelValues: [String] = []) {
        prefix = Array(name.utf8) + PrometheusTextWriter.labelBlock(names: labelNames, values: labelValues) + [UInt8(ascii: " ")]
    }

    /// The current value.
    package var value: Double { storage.load() }

    /// Adds `amount`, which must not be negative (a counter never goes down).
    package func increment(by amount: Double = 1) {
        precondition(amount >= 0, "a counter cannot decrease")
        storage.add(amount)
    }

    /// Adds an integer amount.
    package func increment(by amount: Int) {
        increment(by: Double(amount))
    }

    package func render(into writer: inout PrometheusTextWriter) {
        writer.write(prefix)
        writer.writeValue(storage.load())
        writer.write(UInt8(ascii: "\n"))
    }
}
