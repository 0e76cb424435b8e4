import Foundation
import Synchronization
import TPGWCore

/// An API key as stored: its hash, owner name and scopes.
package struct StoredAPIKey: Sendable, Equatable {
    var id: Int64
    var name: String
    var keyHash: String
    var scopes: [Scope]
    var createdAt: Date
    var lastUsedAt: Date?
    var revokedAt: Date?
}

/// The caller of a request, once authenticated.
struct Principal: Sendable, Equatable {
    var keyID: Int64
    var name: String
    var scopes: [Scope]
}

/// In-memory view of the active API keys, refreshed from the database, so that authenticating a request
/// never waits on the database. A key created on another replica is found at the latest one refresh later.
///
/// Reloads are single-flight: callers arriving while one runs share it. Unknown keys start at most one reload
/// a second in total, however many arrive at once (a flood of made-up keys costs the database one query a second).
package final class KeyRing: Sendable {
    /// How long reloads may fail before readiness reports it.
    static let staleAfter: TimeInterval = 300

    private struct State {
        var byHash: [String: StoredAPIKey] = [:]
        /// Last successful load.
        var loadedAt: Date = .distantPast
        /// When a reload for an unknown key was last started.
        var unknownKeyReloadAt: Date = .distantPast
        /// Since when loads fail (nil after a success).
        var failingSince: Date?
        var inFlight: Task<Void, any Error>?
        var used: Set<Int64> = []
    }

    private let state = Mutex(State())
    private let load: @Sendable () async throws -> [StoredAPIKey]

    package init(load: @escaping @Sendable () async throws -> [StoredAPIKey]) {
        self.load = load
    }

    /// Reloads the active keys, or waits for the reload already running.
    func reload(now: Date = Date()) async throws {
        let task = state.withLock { s in s.inFlight ?? startLoad(&s, now: now) }
        try await task.value
    }

    /// Starts a background reload for a key not found in memory, unless one runs already or one was started for
    /// that reason less than a second ago. Returns the reload to wait for, if any. Never blocks.
    @discardableResult
    func reloadForUnknownKey(now: Date = Date()) -> Task<Void, any Error>? {
        state.withLock { s in
            if let running = s.inFlight { return running }
            guard abs(now.timeIntervalSince(s.unknownKeyReloadAt)) >= 1 else { return nil }
            s.unknownKeyReloadAt = now
            return startLoad(&s, now: now)
        }
    }

    /// Called with the lock held: the one place a load starts.
    private func startLoad(_ s: inout State, now: Date) -> Task<Void, any Error> {
        let task = Task<Void, any Error> {
            do {
                let keys = try await self.load()
                let byHash = Dictionary(keys.filter { $0.revokedAt == nil }.map { ($0.keyHash, $0) }, uniquingKeysWith: { a, _ in a })
                self.state.withLock { s in
                    s.byHash = byHash
                    s.loadedAt = now
                    s.failingSince = nil
                    s.inFlight = nil
                }
            } catch {
                self.state.withLock { s in
                    if s.failingSince == nil { s.failingSince = now }
                    s.inFlight = nil
                }
                throw error
            }
        }
        s.inFlight = task
        return task
    }

    /// Why the keys in memory cannot be trusted to be current: nil while reloads succeed, or fail for less than
    /// `staleAfter`; else a sentence for `/readyz` and the log.
    func staleness(now: Date) -> String? {
        state.withLock { s in
            guard s.failingSince != nil else { return nil }
            let age = now.timeIntervalSince(s.loadedAt)
            guard age >= KeyRing.staleAfter else { return nil }
            return s.loadedAt == .distantPast
                ? "API keys never loaded"
                : "API keys not reloaded for \(Int(age)) s (reloads failing)"
        }
    }

    /// Parses an `Authorization` header value into the key's hash.
    /// - Throws: `AppError(.unauthorized)` for a missing or malformed header.
    static func keyHash(authorization: String?) throws(AppError) -> String {
        guard let authorization, !authorization.isEmpty else {
            throw AppError(.unauthorized, "missing API key: send Authorization: Bearer <key>")
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", case let key = HeaderValue.trimmed(parts[1]), !key.isEmpty else {
            throw AppError(.unauthorized, "malformed Authorization header: expected Bearer <key>")
        }
        return APIKey.hash(String(key))
    }

    /// Authenticates an `Authorization` header value and checks the scope. An unknown key waits for a reload
    /// (shared, at most one a second for unknown keys) and is looked up again.
    /// - Throws: `AppError(.unauthorized)` for a missing, malformed or unknown key; `.forbidden` for a missing scope.
    func authenticate(authorization: String?, needs scope: Scope, now: Date = Date()) async throws -> Principal {
        let hash = try KeyRing.keyHash(authorization: authorization)
        var key = lookup(hash)
        if key == nil, let reload = reloadForUnknownKey(now: now) {
            _ = try? await reload.value
            key = lookup(hash)
        }
        guard let key else { throw AppError(.unauthorized, "unknown or revoked API key") }
        guard APIKey.grants(key.scopes, scope) else {
            throw AppError(.forbidden, "API key \"\(key.name)\" lacks the \(scope.rawValue) scope")
        }
        state.withLock { _ = $0.used.insert(key.id) }
        return Principal(keyID: key.id, name: key.name, scopes: key.scopes)
    }

    /// Looks a hash up in constant time with respect to the key's content: the dictionary lookup is by the hash
    /// (not the secret), then the stored hash is compared in constant time. Memory only, never waits.
    func lookup(_ hash: String) -> StoredAPIKey? {
        state.withLock { s in
            guard let k = s.byHash[hash], APIKey.matchesHash(hash, k.keyHash) else { return nil }
            return k
        }
    }

    /// Key ids used since the last call (for a batched `last_used_at` update).
    func drainUsed() -> Set<Int64> {
        state.withLock { s in
            defer { s.used = [] }
            return s.used
        }
    }
}
