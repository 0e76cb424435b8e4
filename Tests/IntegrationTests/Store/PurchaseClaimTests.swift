import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
@testable import TPGWStore

/// Reconciled purchases claim the packages they found by listing; two claims on one package never both win.
@Suite(.enabled(if: TestDatabase.isConfigured)) struct PurchaseClaimTests {
    private func pending(_ db: TestDatabase, key: String, region: String = "ap-shanghai") async throws -> Int64 {
        let (record, created) = try await db.store.claimPurchase(
            apiKeyID: 1, caller: "team", idempotencyKey: key, account: "tc", region: region, canonical: key, bodyJSON: "{}",
            clientToken: "token-\(key)", leaseSeconds: 60, provider: "tencent")
        #expect(created)
        return record.id
    }

    private func claim(_ db: TestDatabase, _ id: Int64, _ ids: [String], region: String = "ap-shanghai") async throws -> PostgresStore.ClaimOutcome {
        try await db.store.finishReconciledPurchase(
            id: id, account: "tc", region: region, packageIDs: ids, responseStatus: 201, responseBody: Array("{}".utf8),
            reconciliation: #"{"result":"succeeded"}"#)
    }

    @Test func concurrentClaimsOnTheSamePackages_exactlyOneWins_everyRound() async throws {
        try await TestDatabase.with(maxConnections: 8) { db in
            try await db.execute("INSERT INTO api_keys (id, name, key_hash, scopes) VALUES (1, 'team', 'h', '{write}')")
            for round in 0..<15 {
                let a = try await pending(db, key: "a-\(round)")
                let b = try await pending(db, key: "b-\(round)")
                let found = ["tfp-\(round)-1", "tfp-\(round)-2"]
                async let first = claim(db, a, found)
                async let second = claim(db, b, found)
                let outcomes = try await [first, second]
                #expect(outcomes.filter { $0 == .settled }.count == 1, "round \(round): \(outcomes)")
                #expect(outcomes.contains(.claimedElsewhere(Set(found))), "round \(round): \(outcomes)")
            }
            let owners: Int = try await db.scalar("SELECT count(*)::int FROM purchases WHERE package_ids IS NOT NULL")
            #expect(owners == 15)
        }
    }

    @Test func claims_areScopedToTheirRegion_andASettledRowIsNotSettledTwice() async throws {
        try await TestDatabase.with { db in
            try await db.execute("INSERT INTO api_keys (id, name, key_hash, scopes) VALUES (1, 'team', 'h', '{write}')")
            let a = try await pending(db, key: "a")
            let b = try await pending(db, key: "b", region: "ap-guangzhou")
            #expect(try await claim(db, a, ["tfp-1"]) == .settled)
            // Ids are per region: the same id elsewhere is another package.
            #expect(try await claim(db, b, ["tfp-1"], region: "ap-guangzhou") == .settled)
            #expect(try await claim(db, a, ["tfp-2"]) == .alreadySettled)
            let state: String = try await db.scalar("SELECT state FROM purchases WHERE id = \(a)")
            #expect(state == "succeeded")
            let audits: Int = try await db.scalar("SELECT count(*)::int FROM audit_log WHERE action = 'purchase.settle'")
            #expect(audits == 2)
        }
    }
}
