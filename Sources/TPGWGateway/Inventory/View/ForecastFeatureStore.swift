import Foundation
import Synchronization
import TPGWCore

/// This replica's compact forecast state per active package (``ForecastFeatures``, about 1 KB each), kept up to
/// date as the view is rebuilt, so a rebuild never re-reads weeks of rows.
///
/// - A rebuild follows every poll (local or, through the version probe, another replica's), and it reads each
///   package's latest state anyway: that state (used bytes at its observation time) is folded in, which is how the
///   features learn each poll. Nothing else is read for a package already known.
/// - A package not yet known (start, a new package) is built from up to ``historyDays`` of stored history, one row
///   per hour at most (`PostgresStore.forecastObservations`); one whose features lag its latest state by more than
///   ``catchUpAfter`` (this replica was away, another one polled) catches up from the rows since.
/// - Features of packages that are gone or no longer active are dropped.
///
/// Rebuilds are serialised by the view store; the lock only guards the dictionary.
package final class ForecastFeatureStore: Sendable {
    /// History a new package's features are built from.
    package static let historyDays: Double = 28
    /// A lag beyond which the stored rows in between are read rather than spread over the gap.
    package static let catchUpAfter: TimeInterval = 2 * 3600
    /// Packages folded between two yields, so a rebuild does not hold a cooperative thread for long.
    static let yieldEvery = 1000
    /// Packages whose stored history one query reads.
    static let readChunk = 500

    /// Reads observations strictly after each package's instant for some of one source's packages (id -> instant).
    package typealias Read = @Sendable (_ source: SourceID, _ since: [String: Date]) async throws -> [String: [(at: Date, usedBytes: Int64)]]

    /// Per source, so a source's rebuild replaces its part without touching the others.
    private let features = Mutex<[SourceID: [PackageKey: ForecastFeatures]]>([:])
    private let read: Read

    package init(read: @escaping Read) {
        self.read = read
    }

    /// Puts features made elsewhere in place (benchmarks, tools); a later refresh folds on from them.
    package func seed(_ seeded: [PackageKey: ForecastFeatures]) {
        features.withLock { known in
            for (key, f) in seeded { known[key.source, default: [:]][key] = f }
        }
    }

    /// Packages with features.
    package var count: Int { features.withLock { $0.values.reduce(0) { $0 + $1.count } } }

    /// Brings the features of `packages` up to date and returns those of the active, forecastable ones.
    /// - Parameters:
    ///   - packages: the latest states of every package of `sources` (nil: of every source).
    ///   - sources: the sources `packages` cover; features of their other packages are dropped.
    package func refresh(packages: [PackageState], sources: Set<SourceID>?, now: Date) async throws -> [PackageKey: ForecastFeatures] {
        let wanted = packages.filter { $0.status == .active && ForecastProjection.isForecastable($0) }
        let oldest = now.addingTimeInterval(-Self.historyDays * 86400)
        // What must be read: unknown packages from their purchase (at most 28 days back), lagging ones from their last fold.
        var reads: [SourceID: [String: Date]] = [:]
        features.withLock { known in
            for p in wanted {
                if let f = known[p.key.source]?[p.key] {
                    if let last = f.lastObservedAt, p.observedAt.timeIntervalSince1970 - last > Self.catchUpAfter {
                        reads[p.key.source, default: [:]][p.key.id] = Date(timeIntervalSince1970: last)
                    }
                } else {
                    let activation = p.activatedAt ?? p.createdAt
                    reads[p.key.source, default: [:]][p.key.id] = max(oldest, activation.addingTimeInterval(-1))
                }
            }
        }
        // Taken out while folded, so each buffer is mutated in place (not copied); put back if a read fails.
        var current = features.withLock { known in wanted.map { known[$0.key.source]?.removeValue(forKey: $0.key) } }
        do {
            try await readHistory(reads, wanted: wanted, into: &current)
        } catch {
            features.withLock { known in
                for (i, p) in wanted.enumerated() { if let f = current[i] { known[p.key.source, default: [:]][p.key] = f } }
            }
            throw error
        }
        // Then every package's latest state, and publish.
        var out: [PackageKey: ForecastFeatures] = [:]
        out.reserveCapacity(wanted.count)
        var bySource: [SourceID: [PackageKey: ForecastFeatures]] = [:]
        for (i, p) in wanted.enumerated() {
            var f = current[i] ?? ForecastFeatures()
            current[i] = nil
            f.update(observedUsedBytes: p.usedBytes, at: p.observedAt)
            out[p.key] = f
            bySource[p.key.source, default: [:]][p.key] = f
            if i % Self.yieldEvery == Self.yieldEvery - 1 { await Task.yield() }
        }
        features.withLock { known in
            if let sources {
                for source in sources { known[source] = bySource[source] }
                for (source, part) in bySource where !sources.contains(source) { known[source] = part }
            } else {
                known = bySource
            }
        }
        return out
    }

    /// Reads the stored history of `reads` in chunks of `readChunk` packages and folds each chunk as it arrives
    /// (at most 672 rows a package are held at once), yielding between packages so a start's long bootstrap shares
    /// the cooperative pool.
    private func readHistory(
        _ reads: [SourceID: [String: Date]], wanted: [PackageState], into current: inout [ForecastFeatures?]
    ) async throws {
        if !reads.isEmpty {
            var index: [PackageKey: Int] = [:]
            for (i, p) in wanted.enumerated() where reads[p.key.source]?[p.key.id] != nil { index[p.key] = i }
            for (source, since) in reads.sorted(by: { $0.key < $1.key }) {
                let ids = since.keys.sorted()
                for start in stride(from: 0, to: ids.count, by: Self.readChunk) {
                    let chunk = ids[start..<min(start + Self.readChunk, ids.count)]
                    let rows = try await read(source, Dictionary(uniqueKeysWithValues: chunk.map { ($0, since[$0]!) }))
                    for (n, (id, list)) in rows.enumerated() {
                        guard let i = index[PackageKey(provider: source.provider, account: source.account, region: source.region, id: id)] else { continue }
                        var f = current[i] ?? ForecastFeatures()
                        current[i] = nil
                        for o in list { f.update(observedUsedBytes: o.usedBytes, at: o.at) }
                        current[i] = f
                        if n % 16 == 15 { await Task.yield() }
                    }
                }
            }
        }
    }
}
