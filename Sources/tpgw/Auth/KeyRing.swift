import Foundation
import Synchronization
import TPGWCore

/// An API key as stored: its hash, owner name and scopes.
struct StoredAPIKey: Sendable, Equatable {
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
/// never waits on the database. A key created on another replica is found at the latest one refresh later;
/// an unknown key triggers at most one reload a second.
final class KeyRing: Sendable {
    private struct State {
        var byHash: [String: StoredAPIKey] = [:]
        var loadedAt: Date = .distantPast
        var used: Set<Int64> = []
    }

    private let state = Mutex(State())
    private let load: @Sendable () async throws -> [StoredAPIKey]

    init(load: @escaping @Sendable () async throws -> [StoredAPIKey]) {
        self.load = load
    }

    /// Reloads the active keys.
    func reload(now: Date = Date()) async throws {
        let keys = try await load()
        state.withLock { s in
            s.byHash = Dictionary(keys.filter { $0.revokedAt == nil }.map { ($0.keyHash, $0) }, uniquingKeysWith: { a, _ in a })
            s.loadedAt = now
        }
    }

    /// Authenticates an `Authorization` header value and checks the scope.
    /// - Throws: `AppError(.unauthorized)` for a missing, malformed or unknown key; `.forbidden` for a missing scope.
    func authenticate(authorization: String?, needs scope: Scope, now: Date = Date()) async throws -> Principal {
        guard let authorization, !authorization.isEmpty else {
            throw AppError(.unauthorized, "missing API key: send Authorization: Bearer <key>")
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw AppError(.unauthorized, "malformed Authorization header: expected Bearer <key>")
        }
        let hash = APIKey.hash(String(parts[1]).trimmingCharacters(in: .whitespaces))
        var key = lookup(hash)
        if key == nil, state.withLock({ now.timeIntervalSince($0.loadedAt) >= 1 }) {
            try? await reload(now: now)
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
    /// (not the secret), then the stored hash is compared in constant time.
    private func lookup(_ hash: String) -> StoredAPIKey? {
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
