import Synchronization

/// Keeps the latest `InventoryMetrics` and renders it on scrapes.
///
/// `update(_:)` swaps in a new value (copy-on-write arrays make that O(1) under the lock). The
/// first scrape after an update renders it outside the lock and caches the bytes; later scrapes
/// until the next update copy the cached bytes. Neither side waits on the other for long.
package final class InventoryMetricsCollector: Sendable {
    private let state = Mutex(State())

    private struct State {
        var inventory = InventoryMetrics()
        var generation = 0
        var rendered: [UInt8]?
    }

    package init() {}

    /// Replaces what the next scrape shows.
    package func update(_ inventory: InventoryMetrics) {
        state.withLock { state in
            state.inventory = inventory
            state.generation += 1
            state.rendered = nil
        }
    }

    /// What the next scrape shows.
    package var current: InventoryMetrics {
        state.withLock { $0.inventory }
    }

    /// Appends the latest inventory's families, rendering them only if they changed since the last scrape.
    package func write(into writer: inout PrometheusTextWriter) {
        let (inventory, generation, rendered) = state.withLock { ($0.inventory, $0.generation, $0.rendered) }
        if let rendered {
            writer.write(rendered)
            return
        }
        let start = writer.bytes.count
        inventory.write(into: &writer)
        let bytes = Array(writer.bytes[start...])
        state.withLock { state in
            if state.generation == generation { state.rendered = bytes }
        }
    }

    /// Renders the latest inventory now and caches it, so the next scrape only copies bytes. Call it off the
    /// request path (e.g. from a background task right after the inventory changed); does nothing when cached.
    package func prerender() {
        let (inventory, generation, cached) = state.withLock { ($0.inventory, $0.generation, $0.rendered != nil) }
        guard !cached else { return }
        var writer = PrometheusTextWriter(reservingCapacity: 64 + inventory.packages.count * 760 + inventory.pools.count * 600)
        inventory.write(into: &writer)
        let bytes = writer.bytes
        state.withLock { state in
            if state.generation == generation { state.rendered = bytes }
        }
    }

    /// Adds this collector to `registry`, so every scrape shows the latest inventory.
    package func register(on registry: MetricsRegistry) {
        registry.addCollector { [self] writer in
            write(into: &writer)
        }
    }
}
