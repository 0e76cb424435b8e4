import Foundation
import Synchronization
import TPGWCore
import TPGWStore

/// This replica's compact forecast state per active package (``ForecastFeatures``, about 1 KB each), kept up to
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
    struct Entry {
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

    /// Per source, so a source's rebuild replaces its part without touching the others.
    private let features = Mutex<[SourceID: [PackageKey: Entry]]>([:])
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
            for (key, f) in seeded { known[key.source, default: [:]][key] = Entry(features: f, storedHour: nil) }
        }
    }

    /// Packages with features.
    package var count: Int { features.withLock { $0.values.reduce(0) { $0 + $1.count } } }

    /// Where features came from so far.
    package var stats: Stats { counters.withLock { $0 } }

    /// The features kept for `key`, if any.
    package func features(for key: PackageKey) -> ForecastFeatures? { features.withLock { $0[key.source]?[key]?.features } }

    // MARK: Polls

    /// Folds a poll of `source` into the features of its known packages, in place (unknown ones, and ones a rebuild
    /// holds at the moment, are left to the rebuild, which folds the same state), and encodes those to write. The
    /// fold stands even if the poll's write then fails: the observation was real, and only the row is not written.
    package func foldPoll(source: SourceID, packages: [PackageState]) -> FoldedPoll {
        var out = FoldedPoll(source: source, stored: [], rows: [])
        for p in packages where p.status == .active && ForecastProjection.isForecastable(p) {
            // One short lock per package: the buffer is mutated in place (no copy), a rebuild is never held up for long.
            let toStore: ForecastFeatures? = features.withLock { known in
                guard known[source]?[p.key] != nil else { return nil }
                known[source]![p.key]!.features.update(observedUsedBytes: p.usedBytes, at: p.observedAt)
                let entry = known[source]![p.key]!
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
            for (key, hour) in poll.stored where known[poll.source]?[key] != nil { known[poll.source]![key]!.storedHour = hour }
        }
        counters.withLock { $0.written += poll.rows.count }
    }

    // MARK: Rebuilds

    /// Brings the features of `packages` up to date and returns those of the active, forecastable ones.
    /// - Parameters:
    ///   - packages: the latest states of every package of `sources` (nil: of every source).
    ///   - sources: the sources `packages` cover; features of their other packages are dropped.
    package func refresh(packages: [PackageState], sources: Set<SourceID>?, now: Date) async throws -> [PackageKey: ForecastFeatures] {
        let wanted = packages.filter { $0.status == .active && ForecastProjection.isForecastable($0) }
        let oldest = now.addingTimeInterval(-Self.historyDays * 86400)
        // Lagging known packages read from their last fold; unknown ones try their stored features first.
        var reads: [SourceID: [String: Date]] = [:]
        var unknown: [SourceID: [String]] = [:]
        features.withLock { known in
            for p in wanted {
                if let f = known[p.key.source]?[p.key]?.features {
                    if let last = f.lastObservedAt, p.observedAt.timeIntervalSince1970 - last > Self.catchUpAfter {
                        reads[p.key.source, default: [:]][p.key.id] = Date(timeIntervalSince1970: last)
                    }
                } else {
                    unknown[p.key.source, default: []].append(p.key.id)
                }
            }
        }
        // Taken out while folded, so each buffer is mutated in place (not copied); put back if a read fails.
        var current = features.withLock { known in wanted.map { known[$0.key.source]?.removeValue(forKey: $0.key) } }
        var tally = Stats()
        do {
            var index: [PackageKey: Int] = [:]
            if !unknown.isEmpty {
                for (i, p) in wanted.enumerated() where current[i] == nil { index[p.key] = i }
                try await loadStoredFeatures(unknown, wanted: wanted, index: index, oldest: oldest, into: &current, tally: &tally)
                for (i, p) in wanted.enumerated() where index[p.key] != nil {
                    if let f = current[i]?.features {
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
            try await readHistory(reads, wanted: wanted, into: &current)
        } catch {
            features.withLock { known in
                for (i, p) in wanted.enumerated() { if let e = current[i] { known[p.key.source, default: [:]][p.key] = e } }
            }
            throw error
        }
        // Then every package's latest state, and publish.
        var out: [PackageKey: ForecastFeatures] = [:]
        out.reserveCapacity(wanted.count)
        var bySource: [SourceID: [PackageKey: Entry]] = [:]
        for (i, p) in wanted.enumerated() {
            var e = current[i] ?? Entry(features: ForecastFeatures(), storedHour: nil)
            current[i] = nil
            e.features.update(observedUsedBytes: p.usedBytes, at: p.observedAt)
            out[p.key] = e.features
            bySource[p.key.source, default: [:]][p.key] = e
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
        if tally != Stats() {
            counters.withLock {
                $0.loaded += tally.loaded
                $0.outdated += tally.outdated
                $0.corrupt += tally.corrupt
                $0.builtFromHistory += tally.builtFromHistory
                $0.caughtUp += tally.caughtUp
            }
        }
        return out
    }

    /// Loads and validates the stored features of `unknown` packages, a chunk of ``loadChunk`` at a time. A row that
    /// does not decode, or whose last fold is older than the history the features use, is left out (counted).
    private func loadStoredFeatures(
        _ unknown: [SourceID: [String]], wanted: [PackageState], index: [PackageKey: Int], oldest: Date, into current: inout [Entry?],
        tally: inout Stats
    ) async throws {
        guard let loadStored else { return }
        for (source, ids) in unknown.sorted(by: { $0.key < $1.key }) {
            for start in stride(from: 0, to: ids.count, by: Self.loadChunk) {
                let rows = try await loadStored(source, Array(ids[start..<min(start + Self.loadChunk, ids.count)]))
                for (n, (id, bytes)) in rows.enumerated() {
                    guard let i = index[PackageKey(provider: source.provider, account: source.account, region: source.region, id: id)]
                    else { continue }
                    switch ForecastFeatures.Codec.decode(bytes) {
                    case .success(let f):
                        guard let last = f.lastObservedAt, last >= oldest.timeIntervalSince1970 else {
                            tally.outdated += 1
                            continue
                        }
                        current[i] = Entry(features: f, storedHour: f.openHour)
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
    private func readHistory(
        _ reads: [SourceID: [String: Date]], wanted: [PackageState], into current: inout [Entry?]
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
                        var e = current[i] ?? Entry(features: ForecastFeatures(), storedHour: nil)
                        current[i] = nil
                        for o in list { e.features.update(observedUsedBytes: o.usedBytes, at: o.at) }
                        current[i] = e
                        if n % 16 == 15 { await Task.yield() }
                    }
                }
            }
        }
    }
}
