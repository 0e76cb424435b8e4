import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
@testable import TPGWStore

@Suite(.enabled(if: TestDatabase.isConfigured)) struct MigratorTests {
    /// A copy of the real migrations in a temporary folder, so a test can edit it.
    private func copyOfMigrations() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tpgw-mig-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: TestDatabase.migrationsDirectory) where file.hasSuffix(".sql") {
            try FileManager.default.copyItem(atPath: TestDatabase.migrationsDirectory + "/" + file, toPath: dir + "/" + file)
        }
        return dir
    }

    @Test func freshDatabase_appliesEveryMigrationInOrder() async throws {
        try await TestDatabase.with(migrate: false) { db in
            let files = try Migrator.load(directory: TestDatabase.migrationsDirectory)
            let report = try await Migrator(pool: db.pool, directory: TestDatabase.migrationsDirectory, logger: db.logger).migrate()
            #expect(report.applied == files.map(\.version))
            #expect(report.alreadyApplied.isEmpty)
            let recorded = try await db.pool.query("SELECT version, name, length(checksum) FROM schema_migrations ORDER BY version")
            #expect(try recorded.map { try $0.decode(Int.self, at: 0) } == files.map(\.version))
            #expect(try recorded.allSatisfy { try $0.decode(Int.self, at: 2) == 64 })
            // Tables landed in the test's own schema.
            let tables: Int = try await db.scalar("SELECT count(*) FROM information_schema.tables WHERE table_schema = \(db.schema) AND table_name IN ('sources', 'packages', 'snapshots', 'snapshot_hourly', 'poll_runs')")
            #expect(tables == 5)
        }
    }

    @Test func rerun_appliesNothing() async throws {
        try await TestDatabase.with { db in
            let report = try await Migrator(pool: db.pool, directory: TestDatabase.migrationsDirectory, logger: db.logger).migrate()
            #expect(report.applied.isEmpty)
            #expect(report.alreadyApplied.count == (try Migrator.load(directory: TestDatabase.migrationsDirectory)).count)
            #expect(try await Migrator(pool: db.pool, directory: TestDatabase.migrationsDirectory, logger: db.logger).pending().isEmpty)
        }
    }

    @Test func changedAppliedFile_stopsStartupWithClearMessage() async throws {
        let dir = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await TestDatabase.with(migrate: false) { db in
            let migrator = Migrator(pool: db.pool, directory: dir, logger: db.logger)
            try await migrator.migrate()
            let file = dir + "/0002_create_packages.sql"
            let original = try String(contentsOfFile: file, encoding: .utf8)
            try (original + "\n-- edited\n").write(toFile: file, atomically: true, encoding: .utf8)
            let error = await #expect(throws: PostgresError.self) { try await migrator.migrate() }
            #expect(error?.code == .migration)
            #expect(error?.message.contains("0002_create_packages was changed after it was applied") == true)
        }
    }

    @Test func databaseNewerThanBinary_stopsStartup() async throws {
        try await TestDatabase.with { db in
            try await db.execute("INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'add_future_thing', 'x')")
            let error = await #expect(throws: PostgresError.self) {
                try await Migrator(pool: db.pool, directory: TestDatabase.migrationsDirectory, logger: db.logger).migrate()
            }
            #expect(error?.message.contains("9999_add_future_thing") == true)
            #expect(error?.message.contains("newer tpgw") == true)
        }
    }

    @Test func failingMigration_rollsBackAndRecordsNothing() async throws {
        let dir = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "CREATE TABLE half_done (id int);\nSELECT no_such_function();\n".write(toFile: dir + "/0999_break_things.sql", atomically: true, encoding: .utf8)
        try await TestDatabase.with(migrate: false) { db in
            let error = await #expect(throws: PostgresError.self) {
                try await Migrator(pool: db.pool, directory: dir, logger: db.logger).migrate()
            }
            #expect(error?.message.contains("0999_break_things failed") == true)
            let recorded: Int = try await db.scalar("SELECT count(*) FROM schema_migrations WHERE version = 999")
            #expect(recorded == 0)
            let table: Bool = try await db.scalar("SELECT to_regclass('half_done') IS NOT NULL")
            #expect(table == false)
        }
    }

    @Test func badFileName_isRefused() throws {
        let dir = try copyOfMigrations()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "SELECT 1;".write(toFile: dir + "/12_oops.sql", atomically: true, encoding: .utf8)
        #expect(throws: PostgresError.self) { try Migrator.load(directory: dir) }
    }

    @Test(arguments: [
        ("0001_create_sources.sql", 1, "create_sources"),
        ("0010_add_alert_rules.sql", 10, "add_alert_rules"),
    ])
    func fileName_parses(file: String, version: Int, name: String) {
        let parsed = Migration.parseFileName(file)
        #expect(parsed?.version == version)
        #expect(parsed?.name == name)
    }

    @Test(arguments: ["1_x.sql", "0001-create.sql", "0001_Create.sql", "0001_.sql", "abcd_x.sql", "0000_zero.sql", "0001_x.txt"])
    func fileName_rejects(file: String) {
        #expect(Migration.parseFileName(file) == nil)
    }

    @Test func concurrentMigrators_migrateOnce() async throws {
        try await TestDatabase.with(migrate: false) { db in
            let pools = (0..<4).map { _ in db.makePool(maxConnections: 2) }
            let reports = try await withThrowingTaskGroup(of: Migrator.Report.self) { group in
                for pool in pools {
                    group.addTask { try await Migrator(pool: pool, directory: TestDatabase.migrationsDirectory, logger: db.logger).migrate() }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for pool in pools { await pool.close() }
            let files = try Migrator.load(directory: TestDatabase.migrationsDirectory).map(\.version)
            // Exactly one migrator applied everything; the others found it done.
            #expect(reports.filter { !$0.applied.isEmpty }.count == 1)
            #expect(reports.flatMap(\.applied).sorted() == files)
            let rows: Int = try await db.scalar("SELECT count(*) FROM schema_migrations")
            #expect(rows == files.count)
        }
    }
}
