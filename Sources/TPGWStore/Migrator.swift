import Foundation
import TPGWCore

/// One `migrations/NNNN_verb_noun.sql` file.
package struct Migration: Sendable, Equatable {
    package var version: Int
    package var name: String
    package var sql: String

    package init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// `0003_create_snapshots.sql` -> (3, "create_snapshots"); nil when the name does not fit.
    package static func parseFileName(_ file: String) -> (version: Int, name: String)? {
        guard file.hasSuffix(".sql") else { return nil }
        let stem = file.dropLast(4)
        let digits = stem.prefix(while: { $0.isASCII && $0.isNumber })
        guard digits.count == 4, let version = Int(digits), version > 0 else { return nil }
        let rest = stem.dropFirst(4)
        guard rest.first == "_" else { return nil }
        let name = rest.dropFirst()
        guard !name.isEmpty,
              name.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" })
        else { return nil }
        return (version, String(name))
    }
}

/// Applies `migrations/*.sql` in order, each in its own transaction, under an advisory lock.
///
/// Applied migrations are recorded in `schema_migrations (version, name, checksum, applied_at)`.
/// Start-up stops with a clear message when an applied file changed, when a version is missing or
/// renamed, or when the database holds versions this binary does not know (it was migrated by a
/// newer release). Tables are never schema-qualified, so `search_path` picks the schema, and the
/// lock is per schema.
package struct Migrator: Sendable {
    package let pool: ConnectionPool
    package let directory: String
    package let logger: Logger

    package init(pool: ConnectionPool, directory: String, logger: Logger) {
        self.pool = pool
        self.directory = directory
        self.logger = logger
    }

    /// The result of `migrate()`.
    package struct Report: Sendable, Equatable {
        /// Versions applied by this call, in order.
        package var applied: [Int]
        /// Versions that were already in the database.
        package var alreadyApplied: [Int]
    }

    /// Reads and validates the migration files, ordered by version.
    package static func load(directory: String) throws(PostgresError) -> [Migration] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw PostgresError(.migration, "cannot read migrations directory \(directory)")
        }
        var migrations: [Migration] = []
        for file in files.sorted() where file.hasSuffix(".sql") {
            guard let (version, name) = Migration.parseFileName(file) else {
                throw PostgresError(.migration, "migration file \(file) is not named NNNN_verb_noun.sql")
            }
            if let other = migrations.first(where: { $0.version == version }) {
                throw PostgresError(.migration, "two migrations share version \(version): \(other.name) and \(name)")
            }
            guard let data = FileManager.default.contents(atPath: directory + "/" + file) else {
                throw PostgresError(.migration, "cannot read migration \(file)")
            }
            migrations.append(Migration(version: version, name: name, sql: String(decoding: data, as: UTF8.self)))
        }
        return migrations.sorted { $0.version < $1.version }
    }

    /// Applies every pending migration. Safe to call from several processes at once.
    @discardableResult
    package func migrate() async throws -> Report {
        let migrations = try Self.load(directory: directory)
        return try await pool.withConnection { connection in
            let schema = try await connection.query("SELECT current_schema()").first?.decode(String?.self, at: 0)
            guard let schema else {
                throw PostgresError(.migration, "no schema to migrate: the first schema on search_path does not exist")
            }
            let lockKey = "tpgw.migrate." + schema
            // Waiting for another replica's migration and running a long one are not runaway statements: no
            // statement timeout while migrating; the pool's own is restored before the connection goes back.
            let previous = try await connection.query("SHOW statement_timeout").first?.decode(String.self, at: 0) ?? "0"
            _ = try await connection.query("SELECT set_config('statement_timeout', '0', false)")
            do {
                _ = try await connection.query("SELECT pg_advisory_lock(hashtext(\(lockKey)))")
                let report = try await migrateLocked(migrations, on: connection)
                _ = try await connection.query("SELECT pg_advisory_unlock(hashtext(\(lockKey)))")
                _ = try await connection.query("SELECT set_config('statement_timeout', \(previous), false)")
                return report
            } catch {
                if !connection.isBroken {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext(\(lockKey)))")
                    _ = try? await connection.query("SELECT set_config('statement_timeout', \(previous), false)")
                }
                throw error
            }
        }
    }

    /// Versions in the files that the database does not have yet (for readiness checks).
    package func pending() async throws -> [Int] {
        let migrations = try Self.load(directory: directory)
        let exists = try await pool.query("SELECT to_regclass('schema_migrations') IS NOT NULL", idempotent: true)
        guard try exists.first?.decode(Bool.self, at: 0) == true else { return migrations.map(\.version) }
        let rows = try await pool.query("SELECT version FROM schema_migrations", idempotent: true)
        let applied = Set(try rows.map { row throws(PostgresError) in try row.decode(Int.self, at: 0) })
        return migrations.map(\.version).filter { !applied.contains($0) }
    }

    private func migrateLocked(_ migrations: [Migration], on connection: PostgresConnection) async throws -> Report {
        try await connection.execute(unsafeSQL: """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let checksums = try await Self.checksums(migrations.map(\.sql), on: connection)
        let rows = try await connection.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
        var applied: [Int: (name: String, checksum: String)] = [:]
        for row in rows {
            let (version, name, checksum) = try row.decode((Int, String, String).self)
            applied[version] = (name, checksum)
        }
        let known = Dictionary(uniqueKeysWithValues: migrations.enumerated().map { ($1.version, $0) })
        let newest = migrations.last?.version ?? 0
        for (version, record) in applied.sorted(by: { $0.key < $1.key }) {
            guard let index = known[version] else {
                if version > newest {
                    throw PostgresError(.migration, "the database has migration \(Self.label(version, record.name)) which this binary does not know: it was migrated by a newer tpgw; run that version or newer")
                }
                throw PostgresError(.migration, "migration \(Self.label(version, record.name)) is applied in the database but its file is missing from \(directory)")
            }
            let migration = migrations[index]
            if migration.name != record.name {
                throw PostgresError(.migration, "migration \(Self.label(version, record.name)) was renamed to \(migration.name) after it was applied; restore the original name")
            }
            if checksums[index] != record.checksum {
                throw PostgresError(.migration, "migration \(Self.label(version, record.name)) was changed after it was applied (checksum \(record.checksum.prefix(12)) in the database, \(checksums[index].prefix(12)) on disk); add a new migration instead of editing an applied one")
            }
        }
        var report = Report(applied: [], alreadyApplied: applied.keys.sorted())
        for (index, migration) in migrations.enumerated() where applied[migration.version] == nil {
            logger.debug("Applying migration", metadata: ["db.migration": Self.label(migration.version, migration.name)])
            try await connection.execute(unsafeSQL: "BEGIN")
            do {
                try await connection.execute(unsafeSQL: migration.sql)
                _ = try await connection.query("""
                    INSERT INTO schema_migrations (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(checksums[index]))
                    """)
                try await connection.execute(unsafeSQL: "COMMIT")
            } catch {
                if !connection.isBroken { try? await connection.execute(unsafeSQL: "ROLLBACK") }
                throw PostgresError(.migration, "migration \(Self.label(migration.version, migration.name)) failed: \(error.message)", sqlState: error.sqlState)
            }
            report.applied.append(migration.version)
        }
        return report
    }

    /// SHA-256 (hex) of each text, computed by the server so the store needs no crypto library.
    private static func checksums(_ texts: [String], on connection: PostgresConnection) async throws(PostgresError) -> [String] {
        guard !texts.isEmpty else { return [] }
        let rows = try await connection.query("""
            SELECT encode(sha256(convert_to(t, 'UTF8')), 'hex') FROM unnest(\(texts)::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n
            """)
        return try rows.map { row throws(PostgresError) in try row.decode(String.self, at: 0) }
    }

    private static func label(_ version: Int, _ name: String) -> String {
        let v = String(version)
        return String(repeating: "0", count: max(0, 4 - v.count)) + v + "_" + name
    }
}
