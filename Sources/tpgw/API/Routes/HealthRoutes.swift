import Foundation
import Synchronization
import TPGWCore
import TPGWHTTP
import TPGWStore

/// `GET /healthz` (alive) and `GET /readyz` (database reachable, migrations applied). Both open and cheap:
/// readiness is probed at most once a second and shared by concurrent callers.
final class HealthRoutes: Sendable {
    let store: PostgresStore
    let migrator: Migrator
    private let cache = Mutex<(at: ContinuousClock.Instant, reason: String?)?>(nil)

    init(store: PostgresStore, migrator: Migrator) {
        self.store = store
        self.migrator = migrator
    }

    func register(on router: Router) {
        router.get("/healthz", use: { _, _ in .text("ok") })
        router.get("/readyz", use: ready)
    }

    /// GET /readyz
    func ready(_ request: HTTPRequest, _ context: RequestContext) async throws -> HTTPResponse {
        let now = ContinuousClock.now
        let reason: String?
        if let cached = cache.withLock({ $0 }), now - cached.at < .seconds(1) {
            reason = cached.reason
        } else {
            reason = await probe()
            cache.withLock { $0 = (now, reason) }
        }
        if let reason { throw AppError(.unavailable, "not ready: \(reason)") }
        return .text("ready")
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
