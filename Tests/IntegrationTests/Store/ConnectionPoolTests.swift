import Foundation
import Synchronization
import TPGWTestSupport
import Testing
import TPGWCore
@testable import TPGWStore

@Suite(.enabled(if: TestDatabase.isConfigured)) struct ConnectionPoolTests {
    @Test func contention_neverExceedsMaxConnections_andServesEveryone() async throws {
        try await TestDatabase.with(migrate: false, maxConnections: 3) { db in
            let peak = LockedValue(0)
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        try await db.pool.withConnection { connection in
                            peak.withLock { $0 = max($0, db.pool.statistics.open) }
                            let rows = try await connection.query("SELECT \(i)::int8 + 0 FROM pg_sleep(0.01)")
                            return try rows[0].decode(Int.self, at: 0)
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(results.sorted() == Array(0..<40))
            #expect(peak.withLock { $0 } <= 3)
            let backends: Int = try await db.scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tpgw' AND datname = current_database()")
            #expect(backends >= 1)
            #expect(db.pool.statistics.open <= 3)
        }
    }

    @Test func exhaustedPool_failsAfterAcquireTimeout() async throws {
        try await TestDatabase.with(migrate: false, maxConnections: 1, acquireTimeout: .milliseconds(200)) { db in
            let held = try await db.pool.acquire()
            let start = ContinuousClock.now
            let error = await #expect(throws: PostgresError.self) { _ = try await db.pool.query("SELECT 1") }
            #expect(error?.code == .poolTimeout)
            #expect(error?.appError.code == .unavailable)
            #expect(ContinuousClock.now - start >= .milliseconds(180))
            await db.pool.release(held)
            // The released connection serves the next caller.
            let one: Int = try await db.scalar("SELECT 1")
            #expect(one == 1)
        }
    }

    @Test func killedConnection_isDroppedAndReplaced() async throws {
        try await TestDatabase.with(migrate: false, maxConnections: 2) { db in
            let pid: Int = try await db.scalar("SELECT pg_backend_pid()")
            let killer = try await PostgresConnection.connect(PostgresConfiguration(url: TestDatabase.baseURL!), logger: .disabled)
            // The second argument makes the server wait (up to 5 s) until the backend has gone.
            _ = try await killer.query("SELECT pg_terminate_backend(\(pid), 5000)")
            await killer.close()
            // Idempotent reads get a fresh connection transparently, whether the pool notices the
            // dead connection when leasing it or only when the read fails on it.
            let rows = try await db.pool.query("SELECT pg_backend_pid()", idempotent: true)
            let newPid = try rows[0].decode(Int.self, at: 0)
            #expect(newPid != pid)
        }
    }

    @Test func connectionCutMidUse_givesClearErrorThenRecovers() async throws {
        try await TestDatabase.with(migrate: false, maxConnections: 1) { db in
            let error = await #expect(throws: PostgresError.self) {
                try await db.pool.withConnection { connection in
                    _ = try await connection.query("SELECT pg_terminate_backend(pg_backend_pid())")
                }
            }
            #expect(error?.code == .connectionLost)
            #expect(error?.isRetryable == true)
            let one: Int = try await db.scalar("SELECT 1")
            #expect(one == 1)
            #expect(db.pool.statistics.open == 1)
        }
    }

    @Test func statementTimeout_cancelsLongQueries() async throws {
        try await TestDatabase.with(migrate: false) { db in
            let pool = ConnectionPool(.init(database: PostgresConfiguration(url: db.url, statementTimeout: .milliseconds(100))), logger: .disabled)
            let error = await #expect(throws: PostgresError.self) { _ = try await pool.query("SELECT pg_sleep(2)") }
            #expect(error?.isQueryCanceled == true)
            #expect(error?.appError.code == .unavailable)
            await pool.close()
        }
    }

    @Test func uniqueViolation_mapsToConflict() async throws {
        try await TestDatabase.with(migrate: false) { db in
            try await db.execute("CREATE TABLE u (k text PRIMARY KEY)")
            _ = try await db.pool.query("INSERT INTO u (k) VALUES (\("secret-value"))")
            let error = await #expect(throws: PostgresError.self) { _ = try await db.pool.query("INSERT INTO u (k) VALUES (\("secret-value"))") }
            #expect(error?.isUniqueViolation == true)
            #expect(error?.appError.code == .conflict)
            // The server's DETAIL line echoes the key; we never carry it.
            #expect(error?.message.contains("secret-value") == false)
        }
    }

    @Test func transaction_rollsBackWhenBodyThrows() async throws {
        struct Boom: Error {}
        try await TestDatabase.with(migrate: false) { db in
            try await db.execute("CREATE TABLE t (v int)")
            await #expect(throws: Boom.self) {
                try await db.pool.withTransaction { connection in
                    _ = try await connection.query("INSERT INTO t (v) VALUES (\(1))")
                    throw Boom()
                }
            }
            let count: Int = try await db.scalar("SELECT count(*) FROM t")
            #expect(count == 0)
            try await db.pool.withTransaction { connection in
                _ = try await connection.query("INSERT INTO t (v) VALUES (\(2))")
            }
            let after: Int = try await db.scalar("SELECT count(*) FROM t")
            #expect(after == 1)
        }
    }

    @Test func serializationFailure_isRetried() async throws {
        try await TestDatabase.with(migrate: false) { db in
            try await db.execute("CREATE TABLE c (id int PRIMARY KEY, n int); INSERT INTO c VALUES (1, 0)")
            let attempts = LockedValue(0)
            try await db.pool.withTransaction(isolation: .serializable, attempts: 3) { connection in
                let n = attempts.withLock { $0 += 1; return $0 }
                _ = try await connection.query("SELECT n FROM c WHERE id = 1")
                if n == 1 {
                    // A concurrent writer commits first: our update must fail with 40001.
                    let other = try await PostgresConnection.connect(PostgresConfiguration(url: db.url), logger: .disabled)
                    _ = try await other.query("UPDATE c SET n = n + 10 WHERE id = 1")
                    await other.close()
                }
                _ = try await connection.query("UPDATE c SET n = n + 1 WHERE id = 1")
            }
            #expect(attempts.withLock { $0 } == 2)
            let n: Int = try await db.scalar("SELECT n FROM c WHERE id = 1")
            #expect(n == 11)
        }
    }

    @Test func connectFailure_neverShowsPassword() async throws {
        let config = PostgresConfiguration(url: "postgres://tpgw:hunter2-very-secret@127.0.0.1:1/tpgw", connectTimeout: .seconds(1))
        #expect(!config.description.contains("hunter2-very-secret"))
        let error = await #expect(throws: PostgresError.self) { _ = try await PostgresConnection.connect(config, logger: .disabled) }
        #expect(error?.code == .connectionFailed)
        #expect(error.map { !"\($0)".contains("hunter2-very-secret") } == true)
        #expect(error?.appError.message.contains("hunter2") == false)
    }

    @Test func typedDecoding_roundTripsValues() async throws {
        try await TestDatabase.with(migrate: false) { db in
            let date = Date(timeIntervalSince1970: 1_763_800_000.123456)
            let texts = ["plain", "with \"quotes\"", "back\\slash", "comma,brace}{", ""]
            let rows = try await db.pool.query("""
                SELECT \(Int64.max)::int8, \(Int64.min)::int8, \(date)::timestamptz, \(String?.none)::text, \(true)::bool, \(0.1)::float8,
                       (SELECT array_agg(x ORDER BY n) FROM unnest(\(texts)::text[]) WITH ORDINALITY AS u(x, n))::text
                """)
            let (maxV, minV, d, none, flag, ratio) = try rows[0].decode((Int64, Int64, Date, String?, Bool, Double).self)
            #expect(maxV == .max)
            #expect(minV == .min)
            #expect(abs(d.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000001)
            #expect(none == nil)
            #expect(flag)
            #expect(ratio == 0.1)
            let back = try await db.pool.query("SELECT x FROM unnest(\(texts)::text[]) WITH ORDINALITY AS u(x, n) ORDER BY n")
            #expect(try back.map { try $0.decode(String.self, at: 0) } == texts)
        }
    }
}
