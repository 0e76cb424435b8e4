import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
@testable import TPGWStore

/// 0012 scopes purchases to API keys: rows written before it are attributed to their caller's key and stay replayable.
@Suite(.enabled(if: TestDatabase.isConfigured)) struct PurchaseMigrationTests {
    /// The real migrations up to and including `last`, in a temporary folder.
    private func migrations(through last: Int) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tpgw-mig-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: TestDatabase.migrationsDirectory)
        where file.hasSuffix(".sql") && (Int(file.prefix(4)) ?? .max) <= last {
            try FileManager.default.copyItem(atPath: TestDatabase.migrationsDirectory + "/" + file, toPath: dir + "/" + file)
        }
        return dir
    }

    @Test func legacyRows_areAttributedToTheirCallersKey_andDuplicatesStayUnmatched() async throws {
        let before = try migrations(through: 11)
        defer { try? FileManager.default.removeItem(atPath: before) }
        try await TestDatabase.with(migrate: false) { db in
            try await Migrator(pool: db.pool, directory: before, logger: db.logger).migrate()
            try await db.execute("""
                INSERT INTO api_keys (name, key_hash, scopes, revoked_at) VALUES ('team-a', 'h-old', '{write}', now() - interval '1 day');
                INSERT INTO api_keys (name, key_hash, scopes) VALUES ('team-a', 'h-new', '{write}'), ('team-b', 'h-b', '{write}');
                INSERT INTO purchases (account, idempotency_key, request_canonical, request_body, client_token, caller, state, region,
                                       package_id, created_at)
                VALUES ('prod', 'k1', 'c', '{}', 't1', 'team-a', 'succeeded', 'bj', 'tp-1', now() - interval '2 hours'),
                       ('test', 'k1', 'c', '{}', 't2', 'team-a', 'succeeded', 'bj', 'tp-2', now() - interval '1 hour'),
                       ('prod', 'k2', 'c', '{}', 't3', 'team-b', 'pending', 'bj', NULL, now()),
                       ('prod', 'k3', 'c', '{}', 't4', 'gone', 'failed', 'bj', NULL, now());
                INSERT INTO purchase_attempts (account, idempotency_key, caller, request_body, outcome)
                VALUES ('prod', 'k2', 'team-b', '{}', 'failed');
                """)
            try await Migrator(pool: db.pool, directory: TestDatabase.migrationsDirectory, logger: db.logger).migrate()

            let rows = try await db.pool.query("""
                SELECT p.client_token, k.name, k.revoked_at IS NULL, p.state FROM purchases p LEFT JOIN api_keys k ON k.id = p.api_key_id
                ORDER BY p.client_token
                """)
            let decoded = try rows.map { try $0.decode((String, String?, Bool, String).self) }
            #expect(decoded.map(\.0) == ["t1", "t2", "t3", "t4"])
            #expect(decoded[0].1 == "team-a" && decoded[0].2, "the active key of that name")
            #expect(decoded[1].1 == nil, "a second (key, Idempotency-Key) row is kept unattributed")
            #expect(decoded[2].1 == "team-b" && decoded[2].3 == "pending")
            #expect(decoded[3].1 == nil, "no key of that name")
            let linked: Int = try await db.scalar("SELECT count(*)::int FROM purchase_attempts WHERE purchase_id IS NOT NULL")
            #expect(linked == 1)
            // The pending legacy row is one the reconciler can claim.
            let stale = try await db.store.claimStalePurchases(now: Date().addingTimeInterval(5), lease: 60, limit: 10)
            #expect(stale.map(\.clientToken) == ["t3"])
        }
    }
}
