import Foundation
import Synchronization
import TPGWCore
import TPGWHTTP
import TPGWStore

/// `GET /healthz` (alive) and `GET /readyz` (database reachable, migrations applied, API keys reloadable).
/// Both open and cheap: the database is probed at most once a second and shared by concurrent callers.
final class HealthRoutes: Sendable {
    let store: PostgresStore
    let migrator: Migrator
    let keys: KeyRing
    private let cache = Mutex<(at: ContinuousClock.Instant, reason: String?)?>(nil)

    init(store: PostgresStore, migrator: Migrator, keys: KeyRing) {
        self.store = store
        self.migrator = migrator
        self.keys = keys
    }

    func register(on router: Router) {
        router.get("/healthz", use: { _, _ in .text("ok") })
        router.get("/readyz", use: ready)
    }

    /// GET /readyz
    func ready(_ request: HTTPRequest, _ context: RequestContext) async throws -> HTTPResponse {
        if let reason = await notReadyReason(now: Date()) { throw AppError(.unavailable, "not ready: \(reason)") }
        return .text("ready")
    }

    /// Why the gateway is not ready at `now`, or nil when it is.
    func notReadyReason(now: Date) async -> String? {
        let instant = ContinuousClock.now
        let reason: String?
        if let cached = cache.withLock({ $0 }), instant - cached.at < .seconds(1) {
            reason = cached.reason
        } else {
            reason = await probe()
            cache.withLock { $0 = (instant, reason) }
        }
        return reason ?? keys.staleness(now: now)
    }

    private func probe() async -> String? {
        do {
            let pending = try await migrator.pending()
            return pending.isEmpty ? nil : "\(pending.count) migration(s) not applied"
        } catch {
            return "database unreachable"
        }
    }
}
