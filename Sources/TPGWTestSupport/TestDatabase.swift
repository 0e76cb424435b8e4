import Foundation
import Testing
import TPGWCore
import TPGWStore

/// A private schema in the throwaway test cluster, migrated, with a pool and a store bound to it.
///
/// Every test gets its own schema (`t_<random>`) through `search_path` in the connection URL, so
/// tests run in parallel without seeing each other's rows. Typical use:
/// ```swift
/// @Suite(.enabled(if: TestDatabase.isConfigured)) struct MyTests {
///     @Test func something() async throws {
///         try await TestDatabase.with { db in
///             try await db.store.upsertSources([...])
///         }
///     }
/// }
/// ```
/// The cluster comes from `TPGW_TEST_DATABASE_URL` (set by `scripts/test`). Without it the suites are
/// skipped locally, but when `CI` is set they run and fail, so CI can never pass without a database.
package struct TestDatabase: Sendable {
    /// The schema's name, e.g. `t_3f9a0c1b2d4e`.
    package let schema: String
    /// A database URL whose connections use this schema.
    package let url: String
    package let pool: ConnectionPool
    package let store: PostgresStore
    package let logger: Logger

    /// The throwaway cluster's URL, if configured.
    package static var baseURL: String? {
        let value = ProcessInfo.processInfo.environment["TPGW_TEST_DATABASE_URL"]
        return value?.isEmpty == false ? value : nil
    }

    /// Whether database suites should run: a URL is set, or we are on CI (where they must fail without one).
    package static var isConfigured: Bool {
        baseURL != nil || ProcessInfo.processInfo.environment["CI"] != nil
    }

    /// The repository's `migrations/` folder, found from this file's path.
    package static var migrationsDirectory: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // TPGWTestSupport
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // repository root
            .appendingPathComponent("migrations").path
    }

    /// `url` with `-c search_path=<schema>` added to its `options`.
    package static func url(_ base: String, searchPath schema: String) -> String {
        let separator = base.contains("?") ? "&" : "?"
        return base + separator + "options=-csearch_path%3D" + schema
    }

    /// Creates a fresh schema (migrated unless `migrate` is false), runs `body`, then drops the schema.
    package static func with<T>(
        migrate: Bool = true, maxConnections: Int = 8, acquireTimeout: Duration = .seconds(10),
        _ body: (TestDatabase) async throws -> T
    ) async throws -> T {
        let db = try await make(migrate: migrate, maxConnections: maxConnections, acquireTimeout: acquireTimeout)
        do {
            let value = try await body(db)
            await db.drop()
            return value
        } catch {
            await db.drop()
            throw error
        }
    }

    /// Creates a fresh schema; call `drop()` when done (or use `with`).
    package static func make(migrate: Bool = true, maxConnections: Int = 8, acquireTimeout: Duration = .seconds(10)) async throws -> TestDatabase {
        guard let base = baseURL else {
            throw AppError(.unavailable, "TPGW_TEST_DATABASE_URL is not set: run ./scripts/test, or start a cluster with scripts/lib/pg.sh")
        }
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try await admin(base) { connection in
            try await connection.execute(unsafeSQL: "CREATE SCHEMA \(schema)")
        }
        let url = Self.url(base, searchPath: schema)
        let logger = testLogger("test.db")
        let pool = ConnectionPool(
            .init(database: PostgresConfiguration(url: url), maxConnections: maxConnections, acquireTimeout: acquireTimeout),
            logger: logger)
        if migrate {
            try await Migrator(pool: pool, directory: migrationsDirectory, logger: logger).migrate()
        }
        return TestDatabase(schema: schema, url: url, pool: pool, store: PostgresStore(pool: pool, logger: logger), logger: logger)
    }

    /// Another pool on the same schema (e.g. a second replica).
    package func makePool(maxConnections: Int = 8) -> ConnectionPool {
        ConnectionPool(.init(database: PostgresConfiguration(url: url), maxConnections: maxConnections), logger: logger)
    }

    /// Closes the pool and drops the schema with everything in it.
    package func drop() async {
        await pool.close()
        guard let base = Self.baseURL else { return }
        try? await Self.admin(base) { connection in
            try await connection.execute(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE")
        }
    }

    /// Runs raw SQL in this schema (test setup and assertions only).
    package func execute(_ sql: String) async throws {
        try await pool.withConnection { try await $0.execute(unsafeSQL: sql) }
    }

    /// The single value of a query's first row and column.
    package func scalar<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> T {
        let rows = try await pool.query(query)
        guard let row = rows.first else { throw AppError(.notFound, "query returned no rows: \(query.sql)") }
        return try row.decode(T.self, at: 0)
    }

    /// Silent, unless `TPGW_TEST_LOG=debug` (or another level) asks for JSON lines on stderr.
    package static func testLogger(_ label: String) -> Logger {
        if let level = ProcessInfo.processInfo.environment["TPGW_TEST_LOG"].flatMap(LogLevel.init(rawValue:)) {
            return Logger(label: label, level: level, sink: JSONLineLogSink())
        }
        return Logger(label: label, level: .critical, sink: NullLogSink())
    }

    private static func admin(_ base: String, _ body: (PostgresConnection) async throws -> Void) async throws {
        let connection = try await PostgresConnection.connect(PostgresConfiguration(url: base), logger: .disabled)
        do {
            try await body(connection)
            await connection.close()
        } catch {
            await connection.close()
            throw error
        }
    }
}
