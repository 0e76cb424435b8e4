import Foundation
import Synchronization
import TPGWCore

/// Holds the current `GatewayView` and rebuilds it when the data changes: right after a local poll or purchase
/// (`invalidate`), and when another replica changed the database (a cheap version probe every `probeInterval`).
final class ViewStore: Sendable {
    private struct State {
        var view: GatewayView
        var version: String?
        var dirty = true
    }

    private let state: Mutex<State>
    private let load: @Sendable () async throws -> GatewayView.Input
    private let probe: @Sendable () async throws -> String
    private let logger: Logger
    private let rebuildSignal: AsyncStream<Void>
    private let rebuildContinuation: AsyncStream<Void>.Continuation
    private let subscribers = Mutex<[UUID: AsyncStream<Void>.Continuation]>([:])

    init(load: @escaping @Sendable () async throws -> GatewayView.Input,
         probe: @escaping @Sendable () async throws -> String, logger: Logger) {
        self.load = load
        self.probe = probe
        self.logger = logger
        self.state = Mutex(State(view: GatewayView.build(.init(packages: [], history: [:], sources: []), now: Date())))
        (rebuildSignal, rebuildContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The current view.
    var current: GatewayView { state.withLock { $0.view } }

    /// A signal after every rebuild (coalesced: a slow reader sees one signal for several rebuilds).
    func updates() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in _ = self?.subscribers.withLock { $0.removeValue(forKey: id) } }
        return stream
    }

    /// Asks for a rebuild soon (coalesced).
    func invalidate() {
        state.withLock { $0.dirty = true }
        rebuildContinuation.yield()
    }

    /// Rebuilds now from the database.
    func rebuild(now: Date = Date()) async throws {
        let version = try await probe()
        let input = try await load()
        let started = ContinuousClock.now
        let view = GatewayView.build(input, now: now)
        state.withLock {
            $0.view = view
            $0.version = version
            $0.dirty = false
        }
        for subscriber in subscribers.withLock({ Array($0.values) }) { subscriber.yield() }
        logger.debug("view rebuilt", metadata: [
            "packages": "\(input.packages.count)", "duration_ms": "\((ContinuousClock.now - started).milliseconds)",
        ])
    }

    /// Rebuild loop: on invalidation, and when the database version moved (other replicas), until cancelled.
    func run(probeInterval: Duration = .seconds(2)) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [rebuildContinuation] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: probeInterval)
                    rebuildContinuation.yield()
                }
            }
            for await _ in rebuildSignal {
                if Task.isCancelled { break }
                do {
                    let version = try await probe()
                    let needed = state.withLock { $0.dirty || $0.version != version }
                    if needed { try await rebuild() }
                } catch {
                    logger.warning("view rebuild failed", metadata: ["error": "\(error)"])
                }
            }
            group.cancelAll()
        }
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
