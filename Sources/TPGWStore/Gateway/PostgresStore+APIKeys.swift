import Foundation
import TPGWCore

extension PostgresStore {
    /// Stores a new key's hash.
    /// - Throws: `AppError(.conflict)` when an active key already has that name.
    package func insertAPIKey(name: String, keyHash: String, scopes: [String]) async throws -> APIKeyRecord {
        do {
            let rows = try await pool.query("""
                INSERT INTO api_keys (name, key_hash, scopes) VALUES (\(name), \(keyHash), \(scopes)::text[])
                RETURNING id, created_at
                """)
            let (id, createdAt) = try rows[0].decode((Int64, Date).self)
            return APIKeyRecord(id: id, name: name, keyHash: keyHash, scopes: scopes, createdAt: createdAt)
        } catch let error as PostgresError where error.sqlState == "23505" {
            throw AppError(.conflict, "an active API key named \"\(name)\" already exists; revoke it first")
        }
    }

    /// Every key, newest first (revoked ones included when `includeRevoked`).
    package func apiKeys(includeRevoked: Bool = true) async throws -> [APIKeyRecord] {
        let rows = try await pool.query("""
            SELECT id, name, key_hash, array_to_string(scopes, ','), created_at, last_used_at, revoked_at
            FROM api_keys WHERE \(includeRevoked) OR revoked_at IS NULL ORDER BY id DESC
            """, idempotent: true)
        return try rows.map { row in
            let (id, name, hash, scopes, created, used, revoked) = try row.decode((Int64, String, String, String, Date, Date?, Date?).self)
            return APIKeyRecord(id: id, name: name, keyHash: hash, scopes: scopes.split(separator: ",").map(String.init),
                                createdAt: created, lastUsedAt: used, revokedAt: revoked)
        }
    }

    /// Revokes the active key with that name; returns whether one was revoked.
    package func revokeAPIKey(name: String) async throws -> Bool {
        let rows = try await pool.query("UPDATE api_keys SET revoked_at = now() WHERE name = \(name) AND revoked_at IS NULL RETURNING id")
        return !rows.isEmpty
    }

    /// Records that keys were used (batched by the caller).
    package func touchAPIKeys(ids: [Int64], at: Date) async throws {
        guard !ids.isEmpty else { return }
        _ = try await pool.query("UPDATE api_keys SET last_used_at = \(at) WHERE id = ANY(\(ids))")
    }
}
