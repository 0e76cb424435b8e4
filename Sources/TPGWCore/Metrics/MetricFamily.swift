import Synchronization

/// All series of one metric name that share a type, help text and label names.
///
/// Ask for a series once with its label values and keep the handle; asking again with the same
/// values returns the same series. Removing a series makes it disappear from the next scrape.
package final class MetricFamily<Series: MetricSeries>: Sendable {
    /// The metric name, e.g. `tpgw_http_requests_total`.
    package let name: String
    /// The label names every series of this family carries, in output order.
    package let labelNames: [String]
    private let header: [UInt8]
    private let makeSeries: @Sendable ([String]) -> Series
    private let state = Mutex(State())

    private struct State {
        var indexByLabels: [[String]: Int] = [:]
        var series: [Series?] = []  // insertion order; removed slots are nil until compacted
        var removed = 0
    }

    init(name: String, help: String, type: MetricType, labelNames: [String], makeSeries: @escaping @Sendable ([String]) -> Series) {
        self.name = name
        self.labelNames = labelNames
        self.header = PrometheusTextWriter.header(name: name, help: help, type: type)
        self.makeSeries = makeSeries
    }

    /// The series for `labelValues` (one value per label name, in order), made on first use.
    package func series(_ labelValues: [String]) -> Series {
        precondition(labelValues.count == labelNames.count, "\(name) takes \(labelNames.count) label values, got \(labelValues.count)")
        return state.withLock { state in
            if let index = state.indexByLabels[labelValues], let existing = state.series[index] {
                return existing
            }
            let made = makeSeries(labelValues)
            state.indexByLabels[labelValues] = state.series.count
            state.series.append(made)
            return made
        }
    }

    /// Removes the series for `labelValues`, so it no longer appears in scrapes.
    package func remove(_ labelValues: [String]) {
        state.withLock { state in
            guard let index = state.indexByLabels.removeValue(forKey: labelValues) else { return }
            state.series[index] = nil
            state.removed += 1
            if state.removed > 64 && state.removed * 2 > state.series.count {
                Self.compact(&state)
            }
        }
    }

    /// Removes every series of this family.
    package func removeAll() {
        state.withLock { $0 = State() }
    }

    /// How many series the family currently has.
    package var count: Int {
        state.withLock { $0.indexByLabels.count }
    }

    /// Appends the header and every series; a family without series writes nothing.
    func render(into writer: inout PrometheusTextWriter) {
        let current = state.withLock { $0.series }
        // A family without series writes nothing, like the Go client: no orphan HELP/TYPE lines.
        guard current.contains(where: { $0 != nil }) else { return }
        writer.write(header)
        for case let series? in current {
            series.render(into: &writer)
        }
    }

    private static func compact(_ state: inout State) {
        var fresh = State()
        for (labels, index) in state.indexByLabels.sorted(by: { $0.value < $1.value }) {
            fresh.indexByLabels[labels] = fresh.series.count
            fresh.series.append(state.series[index])
        }
        state = fresh
    }
}

/// A family of counters.
package typealias CounterFamily = MetricFamily<Counter>
/// A family of gauges.
package typealias GaugeFamily = MetricFamily<Gauge>
/// A family of histograms sharing one bucket layout.
package typealias HistogramFamily = MetricFamily<Histogram>

extension MetricFamily where Series == Counter {
    /// The counter for these label values.
    package func counter(_ labelValues: [String]) -> Counter { series(labelValues) }
}

extension MetricFamily where Series == Gauge {
    /// The gauge for these label values.
    package func gauge(_ labelValues: [String]) -> Gauge { series(labelValues) }
}

extension MetricFamily where Series == Histogram {
    /// The histogram for these label values.
    package func histogram(_ labelValues: [String]) -> Histogram { series(labelValues) }
}
