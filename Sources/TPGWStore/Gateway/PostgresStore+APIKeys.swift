import Foundation
import TPGWCore

extension PostgresStore {
    /// Stores a new key's hash.
    /// - Throws: `AppError(.conflict)` when an active key already has that name.
    /// Audited (`apiKey.create`, by `actor`) in the same statement; the entry holds the name and scopes, never the hash.
    package func insertAPIKey(name: String, keyHash: String, scopes: [String], actor: String = "cli") async throws -> APIKeyRecord {
        let joined = scopes.joined(separator: ",")
        let after = AuditJSON.object([("name", AuditJSON.string(name)), ("scopes", AuditJSON.string(joined))])
        let result: Result<PostgresResult, PostgresError>
        do {
            result = .success(try await pool.query("""
                WITH k AS (
                    INSERT INTO api_keys (name, key_hash, scopes) VALUES (\(name), \(keyHash), string_to_array(\(joined), ','))
                    RETURNING id, created_at
                ), a AS (
                    INSERT INTO audit_log (actor, action, target_type, target_id, after)
                    SELECT \(actor), 'apiKey.create', 'apiKey', \(name), \(after)::jsonb FROM k
                )
                SELECT id, created_at FROM k
                """))
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let rows):
            let id = try rows[0].decode(Int64.self, at: 0)
            let createdAt = try rows[0].decode(Date.self, at: 1)
            return APIKeyRecord(id: id, name: name, keyHash: keyHash, scopes: scopes, createdAt: createdAt)
        case .failure(let error) where error.sqlState == "23505":
            throw AppError(.conflict, "an active API key named \"\(name)\" already exists; revoke it first")
        case .failure(let error):
            throw error
        }
    }

    /// Every key, newest first (revoked ones included when `includeRevoked`).
    package func apiKeys(includeRevoked: Bool = true) async throws -> [APIKeyRecord] {
        let rows = try await pool.query("""
            SELECT id, name, key_hash, array_to_string(scopes, ','), created_at, last_used_at, revoked_at
            FROM api_keys WHERE \(includeRevoked) OR revoked_at IS NULL ORDER BY id DESC
            """, idempotent: true)
        var out: [APIKeyRecord] = []
        for row in rows {
            let (id, name, hash, scopes, created, used, revoked) = try row.decode((Int64, String, String, String, Date, Date?, Date?).self)
            out.append(APIKeyRecord(
                id: id, name: name, keyHash: hash, scopes: scopes.split(separator: ",").map(String.init),
                createdAt: created, lastUsedAt: used, revokedAt: revoked))
        }
        return out
    }

    /// Revokes the active key with that name; returns whether one was revoked.
    /// Audited (`apiKey.revoke`, by `actor`) in the same statement.
    package func revokeAPIKey(name: String, actor: String = "cli") async throws -> Bool {
        let rows = try await pool.query("""
            WITH k AS (
                UPDATE api_keys SET revoked_at = now() WHERE name = \(name) AND revoked_at IS NULL
                RETURNING id, name, array_to_string(scopes, ',') AS scopes
            ), a AS (
                INSERT INTO audit_log (actor, action, target_type, target_id, before, after)
                SELECT \(actor), 'apiKey.revoke', 'apiKey', k.name,
                       jsonb_build_object('name', k.name, 'scopes', k.scopes),
                       jsonb_build_object('name', k.name, 'scopes', k.scopes, 'revoked', true)
                FROM k
            )
            SELECT id FROM k
            """)
        return !rows.isEmpty
    }

    /// Records that keys were used (batched by the caller).
    package func touchAPIKeys(ids: [Int64], at: Date) async throws {
        guard !ids.isEmpty else { return }
        _ = try await pool.query("UPDATE api_keys SET last_used_at = \(at) WHERE id = ANY(\(ids))")
    }
}
