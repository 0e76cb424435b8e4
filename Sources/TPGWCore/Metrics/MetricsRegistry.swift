import Synchronization

/// Holds tpgw's metric families and scrape-time collectors, and renders them as Prometheus text.
///
/// Make handles once at startup and keep them where they are used; never look metrics up per
/// request. The registry is passed in explicitly (no global), so parallel tests stay isolated.
/// Asking twice for one name with the same type, labels and buckets returns the same family;
/// asking with a different shape is a programmer error and traps.
package final class MetricsRegistry: Sendable {
    /// Writes families computed at scrape time (per-package gauges, process metrics) into the output.
    package typealias Collector = @Sendable (inout PrometheusTextWriter) -> Void

    private let state = Mutex(State())
    // The previous scrape's size, so the next buffer is allocated once instead of regrown.
    private let lastRenderedSize = Atomic<Int>(0)

    private struct State {
        var entries: [Entry] = []
        var indexByName: [String: Int] = [:]
        var collectors: [Collector] = []
    }

    private struct Entry {
        var name: String
        var type: MetricType
        var help: String
        var labelNames: [String]
        var buckets: [Double]
        var family: any RenderableFamily
    }

    package init() {}

    // MARK: Families

    /// A counter family with the given label names; its name must end in `_total`.
    package func makeCounterFamily(name: String, help: String, labelNames: [String] = []) -> CounterFamily {
        precondition(name.hasSuffix("_total"), "counter \(name) must end in _total")
        return family(name: name, help: help, type: .counter, labelNames: labelNames, buckets: []) {
            CounterFamily(name: name, help: help, type: .counter, labelNames: labelNames) { values in
                Counter(name: name, labelNames: labelNames, labelValues: values)
            }
        }
    }

    /// A gauge family with the given label names.
    package func makeGaugeFamily(name: String, help: String, labelNames: [String] = []) -> GaugeFamily {
        family(name: name, help: help, type: .gauge, labelNames: labelNames, buckets: []) {
            GaugeFamily(name: name, help: help, type: .gauge, labelNames: labelNames) { values in
                Gauge(name: name, labelNames: labelNames, labelValues: values)
            }
        }
    }

    /// A histogram family whose series all use `buckets` (finite, strictly increasing upper bounds).
    package func makeHistogramFamily(name: String, help: String, labelNames: [String] = [], buckets: [Double]) -> HistogramFamily {
        precondition(Histogram.areValidBuckets(buckets), "histogram \(name): buckets must be finite, strictly increasing and non-empty")
        return family(name: name, help: help, type: .histogram, labelNames: labelNames, buckets: buckets) {
            HistogramFamily(name: name, help: help, type: .histogram, labelNames: labelNames) { values in
                Histogram(name: name, buckets: buckets, labelNames: labelNames, labelValues: values)
            }
        }
    }

    // MARK: Single series

    /// One counter; several calls with the same name and label names share a family.
    package func makeCounter(name: String, help: String, labels: [(String, String)] = []) -> Counter {
        makeCounterFamily(name: name, help: help, labelNames: labels.map(\.0)).counter(labels.map(\.1))
    }

    /// One gauge; several calls with the same name and label names share a family.
    package func makeGauge(name: String, help: String, labels: [(String, String)] = []) -> Gauge {
        makeGaugeFamily(name: name, help: help, labelNames: labels.map(\.0)).gauge(labels.map(\.1))
    }

    // MARK: Collectors

    /// Adds a collector that is called on every scrape, after the registered families, in the
    /// order collectors were added. It must only read in-memory state: a scrape never waits on
    /// upstream or the database. It writes its own `# HELP`/`# TYPE` lines.
    package func addCollector(_ collector: @escaping Collector) {
        state.withLock { $0.collectors.append(collector) }
    }

    // MARK: Rendering

    /// Renders every family and collector as Prometheus text format 0.0.4.
    package func render() -> String {
        String(decoding: renderBytes(), as: UTF8.self)
    }

    /// Renders every family and collector as UTF-8 bytes (the `/metrics` response body).
    ///
    /// This is CPU work (about 0.1–0.2 s for 100,000 packages in a release build): call it off
    /// the event loop, e.g. from a request handler task, never while holding a lock others need.
    package func renderBytes() -> [UInt8] {
        let (families, collectors) = state.withLock { state in (state.entries.map(\.family), state.collectors) }
        let capacity = max(16 * 1024, lastRenderedSize.load(ordering: .relaxed) + 4096)
        var writer = PrometheusTextWriter(reservingCapacity: capacity)
        for family in families {
            family.render(into: &writer)
        }
        for collector in collectors {
            collector(&writer)
        }
        lastRenderedSize.store(writer.bytes.count, ordering: .relaxed)
        return writer.bytes
    }

    /// The content type of `renderBytes()` for the HTTP response.
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private func family<F: RenderableFamily>(
        name: String, help: String, type: MetricType, labelNames: [String], buckets: [Double], make: () -> F
    ) -> F {
        precondition(MetricName.isValidMetricName(name), "invalid metric name \(name)")
        for label in labelNames {
            precondition(MetricName.isValidLabelName(label), "invalid label name \(label) on \(name)")
        }
        precondition(Set(labelNames).count == labelNames.count, "duplicate label names on \(name)")
        return state.withLock { state in
            if let index = state.indexByName[name] {
                let entry = state.entries[index]
                guard entry.type == type, entry.labelNames == labelNames, entry.buckets == buckets, entry.help == help,
                    let existing = entry.family as? F
                else {
                    preconditionFailure("metric \(name) registered twice with different type, help, labels or buckets")
                }
                return existing
            }
            let made = make()
            state.indexByName[name] = state.entries.count
            state.entries.append(Entry(name: name, type: type, help: help, labelNames: labelNames, buckets: buckets, family: made))
            return made
        }
    }
}

/// A family the registry can render without knowing its series type.
protocol RenderableFamily: AnyObject, Sendable {
    func render(into writer: inout PrometheusTextWriter)
}

extension MetricFamily: RenderableFamily {}
