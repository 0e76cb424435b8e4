import Foundation
import TPGWCore

extension Application {
    /// `tpgw keys create`: stores the hash and returns the key (shown once).
    package func createKey(name: String, scopes: [String]) async throws -> String {
        _ = try await migrator.migrate()
        let key = APIKey.generate()
        _ = try await store.insertAPIKey(name: name, keyHash: APIKey.hash(key), scopes: scopes)
        return key
    }

    /// `tpgw keys list` as printable lines (never the keys themselves).
    package func listKeys() async throws -> [String] {
        _ = try await migrator.migrate()
        let keys = try await store.apiKeys()
        var lines = ["NAME\tSCOPES\tCREATED\tLAST USED\tREVOKED"]
        for k in keys {
            lines.append([k.name, k.scopes.joined(separator: ","), RFC3339.format(k.createdAt), k.lastUsedAt.map { RFC3339.format($0) } ?? "-",
                          k.revokedAt.map { RFC3339.format($0) } ?? "-"].joined(separator: "\t"))
        }
        return lines
    }

    /// `tpgw keys revoke NAME`.
    package func revokeKey(name: String) async throws {
        _ = try await migrator.migrate()
        guard try await store.revokeAPIKey(name: name) else { throw AppError(.notFound, "no active API key named \"\(name)\"") }
    }
}
