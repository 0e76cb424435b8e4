import Foundation
import Synchronization
import TPGWCore
import TPGWStore

/// This replica's compact forecast state per active package (``ForecastFeatures``, about 0.8 KB each), kept up to
/// date as the view is rebuilt, so a rebuild never re-reads weeks of rows.
///
/// - A rebuild follows every poll (local or, through the version probe, another replica's), and it reads each
///   package's latest state anyway: that state (used bytes at its observation time) is folded in, which is how the
///   features learn each poll. Nothing else is read for a package already known.
/// - The poller folds each poll into the features it knows, in place (``foldPoll(source:packages:)``), and writes
///   those that closed an hour since they were last written (at most once an hour per package, and at once when never
///   written) in the poll's transaction (`forecast_features`; ``commit(_:)`` notes them written), so the rebuild that
///   follows finds them already folded.
/// - A package not yet known (start, a new package) is loaded from its stored features (``LoadStored``) when a
///   valid row of the current format exists, else built from up to ``historyDays`` of stored history, one row per
///   hour at most (`PostgresStore.forecastObservations`); one whose features lag its latest state by more than
///   ``catchUpAfter`` (this replica was away, another one polled, the stored row is older) catches up from the rows
///   since. A stored row that is outdated (another format or model) or corrupt is ignored: the history is folded.
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
    /// Packages whose stored features one query reads (a start: one query per source of up to 5,000 packages).
    static let loadChunk = 5000

    /// Reads observations strictly after each package's instant for some of one source's packages (id -> instant).
    package typealias Read = @Sendable (_ source: SourceID, _ since: [String: Date]) async throws -> [String: [(at: Date, usedBytes: Int64)]]
    /// Reads the stored, encoded features of some of one source's packages (ids without any are absent).
    package typealias LoadStored = @Sendable (_ source: SourceID, _ ids: [String]) async throws -> [String: [UInt8]]

    /// Where features came from, since this store was made.
    package struct Stats: Sendable, Equatable {
        /// Loaded from a stored row.
        package var loaded = 0
        /// Stored rows of another format or model, or older than the history the features use: rebuilt from history.
        package var outdated = 0
        /// Stored rows that failed validation: rebuilt from history.
        package var corrupt = 0
        /// Built by folding up to ``historyDays`` of stored history.
        package var builtFromHistory = 0
        /// Known (or loaded) features that read the rows since their last fold.
        package var caughtUp = 0
        /// Features written by polls.
        package var written = 0
    }

    /// One package's features and the open hour of its stored copy (nil: not stored by this replica).
    struct Entry: Sendable {
        var features: ForecastFeatures
        var storedHour: Int64?
    }

    /// What one poll folded: the encoded rows to write (features that closed an hour since they were last written,
    /// or never were). Commit it once the poll's transaction committed.
    package struct FoldedPoll: Sendable {
        package var source: SourceID
        /// The packages written and the open hour each was written at.
        var stored: [(key: PackageKey, hour: Int64)]
        package var rows: [StoredForecastFeatures]
    }

    /// Per source and package id, so a source's rebuild replaces its part without touching the others (and a key is
    /// one string, not four).
    private let features = Mutex<[SourceID: [String: Entry]]>([:])
    let read: Read
    private let loadStored: LoadStored?
    private let counters = Mutex(Stats())

    package init(read: @escaping Read, loadStored: LoadStored? = nil) {
        self.read = read
        self.loadStored = loadStored
    }

    /// Puts features made elsewhere in place (benchmarks, tools); a later refresh folds on from them.
    package func seed(_ seeded: [PackageKey: ForecastFeatures]) {
        features.withLock { known in
            for (key, f) in seeded { known[key.source, default: [:]][key.id] = Entry(features: f, storedHour: nil) }
        }
    }

    /// Packages with features.
    package var count: Int { features.withLock { $0.values.reduce(0) { $0 + $1.count } } }

    /// Where features came from so far.
    package var stats: Stats { counters.withLock { $0 } }

    /// The features kept for `key`, if any.
    package func features(for key: PackageKey) -> ForecastFeatures? { features.withLock { $0[key.source]?[key.id]?.features } }

    // MARK: Polls

    /// Folds a poll of `source` into the features of its known packages, in place (unknown ones, and ones a rebuild
    /// holds at the moment, are left to the rebuild, which folds the same state), and encodes those to write. The
    /// fold stands even if the poll's write then fails: the observation was real, and only the row is not written.
    package func foldPoll(source: SourceID, packages: [PackageState]) -> FoldedPoll {
        var out = FoldedPoll(source: source, stored: [], rows: [])
        for p in packages where p.status == .active && ForecastProjection.isForecastable(p) {
            // One short lock per package: the buffer is mutated in place (no copy), a rebuild is never held up for long.
            let toStore: ForecastFeatures? = features.withLock { known in
                guard known[source]?[p.key.id] != nil else { return nil }
                known[source]![p.key.id]!.features.update(observedUsedBytes: p.usedBytes, at: p.observedAt)
                let entry = known[source]![p.key.id]!
                return entry.storedHour != entry.features.openHour ? entry.features : nil
            }
            // Encoded outside the lock from a shared (not copied) buffer.
            if let f = toStore, let at = f.lastObservedAt {
                out.rows.append(StoredForecastFeatures(
                    packageID: p.key.id, format: Int(ForecastFeatures.Codec.version), observedAt: Date(timeIntervalSince1970: at),
                    data: ForecastFeatures.Codec.encode(f)))
                out.stored.append((p.key, f.openHour))
            }
        }
        return out
    }

    /// Notes that a committed poll's rows are stored (so a package is written again only once its features close an hour).
    package func commit(_ poll: FoldedPoll) {
        features.withLock { known in
            for (key, hour) in poll.stored where known[poll.source]?[key.id] != nil { known[poll.source]![key.id]!.storedHour = hour }
        }
        counters.withLock { $0.written += poll.rows.count }
    }

    // MARK: Rebuilds

    /// Brings the features of `packages` up to date and returns those of the active, forecastable ones: the
    /// store's own per-source dictionaries, shared (not copied), so a rebuild never holds the features twice.
    /// - Parameters:
    ///   - packages: the latest states of every package of `sources` (nil: of every source).
    ///   - sources: the sources `packages` cover; features of their other packages are dropped.
    package func refresh(packages: [PackageState], sources: Set<SourceID>?, now: Date) async throws -> ForecastFeatureSet {
        let wanted = packages.filter { $0.status == .active && ForecastProjection.isForecastable($0) }
        let oldest = now.addingTimeInterval(-Self.historyDays * 86400)
        // Lagging known packages read from their last fold; unknown ones try their stored features first. Only those
        // are taken out while read (each buffer then mutated in place, not copied; put back if a read fails): every
        // other package is folded in place below.
        var reads: [SourceID: [String: Date]] = [:]
        var unknown: [SourceID: [String]] = [:]
        var unknownIndices: [Int] = []
        var pending: [SourceID: [String: Entry]] = [:]
        features.withLock { known in
            for (i, p) in wanted.enumerated() {
                let source = p.key.source
                if let f = known[source]?[p.key.id]?.features {
                    if let last = f.lastObservedAt, p.observedAt.timeIntervalSince1970 - last > Self.catchUpAfter {
                        reads[source, default: [:]][p.key.id] = Date(timeIntervalSince1970: last)
                        pending[source, default: [:]][p.key.id] = known[source]!.removeValue(forKey: p.key.id)
                    }
                } else {
                    unknown[source, default: []].append(p.key.id)
                    unknownIndices.append(i)
                }
            }
        }
        var tally = Stats()
        do {
            if !unknown.isEmpty {
                try await loadStoredFeatures(unknown, oldest: oldest, into: &pending, tally: &tally)
                for i in unknownIndices {
                    let p = wanted[i]
                    if let f = pending[p.key.source]?[p.key.id]?.features {
                        if let last = f.lastObservedAt, p.observedAt.timeIntervalSince1970 - last > Self.catchUpAfter {
                            reads[p.key.source, default: [:]][p.key.id] = Date(timeIntervalSince1970: last)
                        }
                    } else {
                        let activation = p.activatedAt ?? p.createdAt
                        reads[p.key.source, default: [:]][p.key.id] = max(oldest, activation.addingTimeInterval(-1))
                        tally.builtFromHistory += 1
                    }
                }
            }
            tally.caughtUp = reads.values.reduce(0) { $0 + $1.count } - tally.builtFromHistory
            try await readHistory(reads, into: &pending)
        } catch {
            features.withLock { known in
                for (source, part) in pending { for (id, e) in part { known[source, default: [:]][id] = e } }
            }
            throw error
        }
        // Then per covered source: the taken-out features put back, those of its other packages dropped, and every
        // package's latest state folded in place (a package without any features starts them).
        var groups: [SourceID: [Int]] = [:]
        for (i, p) in wanted.enumerated() { groups[p.key.source, default: []].append(i) }
        let covered = features.withLock { known in
            Set(groups.keys).union(sources ?? Set(known.keys))
        }
        for source in covered.sorted() {
            let indices = groups[source] ?? []
            let merged = pending.removeValue(forKey: source)
            // Built outside the lock: a poll's fold waits on it.
            let keep = Set(indices.map { wanted[$0].key.id })
            features.withLock { known in
                guard !indices.isEmpty else {
                    known[source] = nil
                    return
                }
                var part = known.removeValue(forKey: source) ?? [:]
                if let merged {
                    if part.isEmpty { part = merged } else { for (id, e) in merged { part[id] = e } }
                }
                for id in part.keys.filter({ !keep.contains($0) }) { part.removeValue(forKey: id) }
                part.reserveCapacity(indices.count)
                known[source] = part
            }
            for start in stride(from: 0, to: indices.count, by: Self.yieldEvery) {
                features.withLock { known in
                    for i in indices[start..<min(start + Self.yieldEvery, indices.count)] {
                        let p = wanted[i]
                        known[source, default: [:]][p.key.id, default: Entry(features: ForecastFeatures(), storedHour: nil)].features
                            .update(observedUsedBytes: p.usedBytes, at: p.observedAt)
                    }
                }
                await Task.yield()
            }
        }
        if tally != Stats() {
            counters.withLock {
                $0.loaded += tally.loaded
                $0.outdated += tally.outdated
                $0.corrupt += tally.corrupt
                $0.builtFromHistory += tally.builtFromHistory
                $0.caughtUp += tally.caughtUp
            }
        }
        return features.withLock { known in
            ForecastFeatureSet(bySource: known.filter { covered.contains($0.key) })
        }
    }

    /// Loads and validates the stored features of `unknown` packages, a chunk of ``loadChunk`` at a time. A row that
    /// does not decode, or whose last fold is older than the history the features use, is left out (counted).
    private func loadStoredFeatures(
        _ unknown: [SourceID: [String]], oldest: Date, into pending: inout [SourceID: [String: Entry]], tally: inout Stats
    ) async throws {
        guard let loadStored else { return }
        for (source, ids) in unknown.sorted(by: { $0.key < $1.key }) {
            for start in stride(from: 0, to: ids.count, by: Self.loadChunk) {
                let chunk = Array(ids[start..<min(start + Self.loadChunk, ids.count)])
                let asked = Set(chunk)
                let rows = try await loadStored(source, chunk)
                for (n, (id, bytes)) in rows.enumerated() {
                    guard asked.contains(id) else { continue }
                    switch ForecastFeatures.Codec.decode(bytes) {
                    case .success(let f):
                        guard let last = f.lastObservedAt, last >= oldest.timeIntervalSince1970 else {
                            tally.outdated += 1
                            continue
                        }
                        pending[source, default: [:]][id] = Entry(features: f, storedHour: f.openHour)
                        tally.loaded += 1
                    case .failure(.outdated): tally.outdated += 1
                    case .failure(.corrupt): tally.corrupt += 1
                    }
                    if n % 64 == 63 { await Task.yield() }
                }
            }
        }
    }

    /// Reads the stored history of `reads` in chunks of `readChunk` packages and folds each chunk as it arrives
    /// (at most 672 rows a package are held at once), yielding between packages so a start's long bootstrap shares
    /// the cooperative pool.
    private func readHistory(_ reads: [SourceID: [String: Date]], into pending: inout [SourceID: [String: Entry]]) async throws {
        for (source, since) in reads.sorted(by: { $0.key < $1.key }) {
            let ids = since.keys.sorted()
            for start in stride(from: 0, to: ids.count, by: Self.readChunk) {
                let chunk = ids[start..<min(start + Self.readChunk, ids.count)]
                let rows = try await read(source, Dictionary(uniqueKeysWithValues: chunk.map { ($0, since[$0]!) }))
                for (n, (id, list)) in rows.enumerated() {
                    guard since[id] != nil else { continue }
                    var e = pending[source]?.removeValue(forKey: id) ?? Entry(features: ForecastFeatures(), storedHour: nil)
                    for o in list { e.features.update(observedUsedBytes: o.usedBytes, at: o.at) }
                    pending[source, default: [:]][id] = e
                    if n % 16 == 15 { await Task.yield() }
                }
            }
        }
    }
}

/// The forecast features a view is built from, per source and package id: a value that shares the feature store's
/// per-source dictionaries (no copy of the features; the store copies a source's dictionary only if it changes it
/// while a build still holds this).
package struct ForecastFeatureSet: Sendable, ExpressibleByDictionaryLiteral {
    var bySource: [SourceID: [String: ForecastFeatureStore.Entry]]

    init(bySource: [SourceID: [String: ForecastFeatureStore.Entry]]) { self.bySource = bySource }

    /// From features per package (tests and tools that fold their own).
    package init(_ features: [PackageKey: ForecastFeatures]) {
        var bySource: [SourceID: [String: ForecastFeatureStore.Entry]] = [:]
        for (key, f) in features { bySource[key.source, default: [:]][key.id] = ForecastFeatureStore.Entry(features: f, storedHour: nil) }
        self.init(bySource: bySource)
    }

    /// `[:]`: no features (the benchmark's baseline forecasts every package from its lifetime average).
    package init(dictionaryLiteral elements: (PackageKey, ForecastFeatures)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, b in b }))
    }

    /// The features of `key`, if any.
    package subscript(key: PackageKey) -> ForecastFeatures? { bySource[key.source]?[key.id]?.features }

    /// Packages with features.
    package var count: Int { bySource.values.reduce(0) { $0 + $1.count } }
    package var isEmpty: Bool { bySource.values.allSatisfy(\.isEmpty) }
}
