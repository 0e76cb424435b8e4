import Foundation
import Synchronization
import TPGWCore

/// Holds the current `GatewayView` and keeps it up to date, one source at a time: right after a local poll or
/// purchase (`invalidate(source:)`), when another replica changed a source in the database (a cheap per-source
/// version probe every `probeInterval`), and when a segment's forecasts are older than `maxSegmentAge`.
///
/// While the database is unavailable (the last probe or load threw `AppError(.unavailable)`), the view cannot be
/// kept up to date: `live()` throws that error instead of serving data that silently ages, until a probe succeeds.
package final class ViewStore: Sendable {
    private struct State {
        var view: GatewayView
        /// Sources to rebuild; `everything` asks for a full load.
        var dirty: Set<SourceID> = []
        var everything = true
        /// Set while the database is unavailable.
        var unavailable: AppError?
    }

    /// Loads the sources' health and the packages and forecast history of the given sources (nil: all).
    typealias Load = @Sendable (_ sources: Set<SourceID>?) async throws -> GatewayView.Input

    private let state: Mutex<State>
    private let load: Load
    private let probe: @Sendable () async throws -> [SourceID: String]
    private let maxSegmentAge: TimeInterval
    private let now: @Sendable () -> Date
    /// Called on every new view before it is served (the API renders its common answers ahead).
    private let prepare: @Sendable (GatewayView) -> Void
    private let logger: Logger
    private let rebuildSignal: AsyncStream<Void>
    private let rebuildContinuation: AsyncStream<Void>.Continuation
    private let subscribers = Mutex<[UUID: AsyncStream<Void>.Continuation]>([:])
    /// One rebuild at a time, so two rebuilds never interleave their reads and writes of the view.
    private let rebuilding = KeyedConcurrencyLimiter(limit: 1)

    init(load: @escaping Load, probe: @escaping @Sendable () async throws -> [SourceID: String], maxSegmentAge: TimeInterval = 600,
         now: @escaping @Sendable () -> Date = { Date() }, prepare: @escaping @Sendable (GatewayView) -> Void = { _ in }, logger: Logger) {
        self.prepare = prepare
        self.load = load
        self.probe = probe
        self.maxSegmentAge = maxSegmentAge
        self.now = now
        self.logger = logger
        self.state = Mutex(State(view: GatewayView.build(.init(packages: [], history: [:], sources: []), now: now())))
        (rebuildSignal, rebuildContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The current view.
    package var current: GatewayView { state.withLock { $0.view } }

    /// The current view for an API answer: throws `AppError(.unavailable)` while the database is unavailable.
    func live() throws(AppError) -> GatewayView {
        let (view, unavailable) = state.withLock { ($0.view, $0.unavailable) }
        if let unavailable { throw unavailable }
        return view
    }

    /// A signal after every rebuild (coalesced: a slow reader sees one signal for several rebuilds).
    func updates() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in _ = self?.subscribers.withLock { $0.removeValue(forKey: id) } }
        return stream
    }

    /// Asks for a rebuild of `source` (nil: of everything) soon; coalesced.
    func invalidate(source: SourceID? = nil) {
        state.withLock {
            if let source { $0.dirty.insert(source) } else { $0.everything = true }
        }
        rebuildContinuation.yield()
    }

    /// Rebuilds the segments of `sources` (nil: everything) from the database now, and the sources' health.
    package func rebuild(sources: Set<SourceID>? = nil, now: Date? = nil) async throws {
        let now = now ?? self.now()
        try await rebuilding.withPermit("rebuild") {
            try await trackingAvailability {
                try await rebuildLocked(sources: sources, versions: try await probe(), now: now)
            }
        }
    }

    /// Rebuilds whatever is due (see `due(versions:now:)`), deciding under the rebuild lock, so a rebuild that
    /// finished while this one waited is not repeated.
    func rebuildDue(now: Date? = nil) async throws {
        let now = now ?? self.now()
        try await rebuilding.withPermit("rebuild") {
            try await trackingAvailability {
                let versions = try await probe()
                let due = due(versions: versions, now: now)
                if due == nil || !due!.isEmpty { try await rebuildLocked(sources: due, versions: versions, now: now) }
            }
        }
    }

    /// Runs a probe and rebuild, noting whether the database was available.
    private func trackingAvailability(_ body: () async throws -> Void) async throws {
        do {
            try await body()
            state.withLock { $0.unavailable = nil }
        } catch let error as AppError where error.code == .unavailable {
            state.withLock { $0.unavailable = AppError(.unavailable, error.message) }
            throw error
        }
    }

    private func rebuildLocked(sources: Set<SourceID>?, versions: [SourceID: String], now: Date) async throws {
        var input = try await load(sources)
        input.versions = versions
        let started = ContinuousClock.now
        let old = current
        let segments = await GatewayView.segmentsConcurrently(input, only: sources, previous: old, now: now)
        let view = sources == nil
            ? GatewayView.assemble(segments: segments, sources: input.sources, now: now)
            : old.replacing(segments, sources: input.sources, now: now)
        prepare(view)
        state.withLock {
            $0.view = view
            if let sources { $0.dirty.subtract(sources) } else { $0.dirty = []; $0.everything = false }
        }
        for subscriber in subscribers.withLock({ Array($0.values) }) { subscriber.yield() }
        logger.debug("view rebuilt", metadata: [
            "sources": sources.map { "\($0.count)" } ?? "all", "packages": "\(input.packages.count)",
            "duration_ms": "\((ContinuousClock.now - started).milliseconds)",
        ])
    }

    /// What needs rebuilding: locally invalidated sources, sources whose stored version moved (other replicas),
    /// new sources, and segments older than `maxSegmentAge`. Nil means everything.
    func due(versions: [SourceID: String], now: Date) -> Set<SourceID>? {
        state.withLock { s -> Set<SourceID>? in
            if s.everything { return nil }
            var due = s.dirty
            for (source, version) in versions {
                guard let segment = s.view.segment(source) else {
                    due.insert(source)
                    continue
                }
                if segment.version != version || now.timeIntervalSince(segment.builtAt) > maxSegmentAge { due.insert(source) }
            }
            // Most sources at once (a start, a refresh of everything): one load of everything is cheaper.
            if due.count > 1, due.count * 2 > max(versions.count, s.view.segments.count) { return nil }
            return due
        }
    }

    /// The view refresher as a service: rebuilds what is due on invalidation, and every `probeInterval` on `clock`
    /// (a source's version moved on another replica, a segment got old), until shutdown.
    func service<C: Clock<Duration>>(clock: C, probeInterval: Duration = .seconds(2)) -> ClosureService {
        ClosureService("view") { shutdown in await self.run(until: shutdown, clock: clock, probeInterval: probeInterval) }
    }

    /// Rebuild loop: on invalidation, and every `probeInterval` on `clock`, until `shutdown`.
    func run<C: Clock<Duration>>(until shutdown: ShutdownSignal, clock: C, probeInterval: Duration = .seconds(2)) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [rebuildContinuation] in
                await PeriodicRunner(interval: probeInterval, clock: clock, runImmediately: false).run(until: shutdown) {
                    rebuildContinuation.yield()
                }
            }
            group.addTask { [rebuildContinuation] in
                await shutdown.wait()
                rebuildContinuation.yield()  // wakes the loop below to see the shutdown
            }
            for await _ in rebuildSignal {
                if shutdown.isTriggered || Task.isCancelled { break }
                do {
                    try await rebuildDue()
                } catch {
                    logger.warning("view rebuild failed", metadata: ["error": "\(error)"])
                }
            }
            group.cancelAll()
        }
    }
}
