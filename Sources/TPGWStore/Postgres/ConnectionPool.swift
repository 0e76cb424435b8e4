import Foundation
import Synchronization
import TPGWCore

/// A bounded pool of `PostgresConnection`s.
///
/// - At most `maxConnections` are open; a caller waits up to `acquireTimeout` for one to free up,
///   then gets `.poolTimeout`.
/// - A connection found broken (at checkout, or after a statement failed because the link broke)
///   is closed and dropped; the next caller opens a fresh one.
/// - `query(_:idempotent:)` retries a read once on a fresh connection when the link broke.
package final class ConnectionPool: Sendable {
    package struct Configuration: Sendable {
        package var database: PostgresConfiguration
        /// Upper bound of open connections (default 8).
        package var maxConnections: Int
        /// How long a caller waits for a free connection (default 10 s).
        package var acquireTimeout: Duration

        package init(database: PostgresConfiguration, maxConnections: Int = 8, acquireTimeout: Duration = .seconds(10)) {
            self.database = database
            self.maxConnections = max(1, maxConnections)
            self.acquireTimeout = acquireTimeout
        }
    }

    /// What a waiting caller is handed.
    private enum Grant {
        case connection(PostgresConnection)
        /// A slot was freed (a broken connection was dropped): open a new connection.
        case slot
    }

    private struct Waiter {
        var continuation: CheckedContinuation<Grant, any Error>
        var timeout: Task<Void, Never>?
    }

    private struct State {
        var idle: [PostgresConnection] = []
        /// Idle + leased + being opened.
        var open = 0
        var waiters: [Int: Waiter] = [:]
        var order: [Int] = []
        var nextWaiterID = 0
        var closed = false

        mutating func popWaiter() -> Waiter? {
            while !order.isEmpty {
                let id = order.removeFirst()
                if let w = waiters.removeValue(forKey: id) { return w }
            }
            return nil
        }
    }

    package let configuration: Configuration
    private let logger: Logger
    private let state = Mutex(State())

    package init(_ configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Convenience: a pool for `url` with default settings.
    package convenience init(url: String, maxConnections: Int = 8, logger: Logger) {
        self.init(Configuration(database: PostgresConfiguration(url: url), maxConnections: maxConnections), logger: logger)
    }

    /// Numbers for metrics and tests.
    package var statistics: (open: Int, idle: Int, waiting: Int) {
        state.withLock { ($0.open, $0.idle.count, $0.waiters.count) }
    }

    /// Leases a connection for `body` and returns it afterwards (or drops it if it broke).
    package func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await acquire()
        do {
            let value = try await body(connection)
            await release(connection)
            return value
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Runs one statement on a leased connection. With `idempotent`, a statement that failed because
    /// the connection broke is run once more on a fresh connection (use it for reads).
    package func query(_ query: PostgresQuery, idempotent: Bool = false) async throws(PostgresError) -> PostgresResult {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await withConnection { connection in try await connection.query(query) }
            } catch let error as PostgresError {
                if idempotent, attempt == 1, error.isConnectionProblem {
                    logger.debug("Retrying read on a fresh connection", metadata: ["db.error": error.code.rawValue])
                    continue
                }
                throw error
            } catch {
                throw PostgresError(.server, "unexpected error")
            }
        }
    }

    /// Runs `body` inside `BEGIN ... COMMIT`; any error rolls back and is rethrown.
    ///
    /// With `attempts > 1` the whole transaction is run again after a serialization failure,
    /// a deadlock or a broken connection, so `body` must be safe to repeat (no side effects
    /// outside the database). A connection lost during COMMIT is ambiguous; a repeat must then
    /// be harmless too.
    package func withTransaction<T>(
        isolation: IsolationLevel = .readCommitted, attempts: Int = 1, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await withConnection { connection in
                    try await connection.execute(unsafeSQL: "BEGIN ISOLATION LEVEL \(isolation.sql)")
                    do {
                        let value = try await body(connection)
                        try await connection.execute(unsafeSQL: "COMMIT")
                        return value
                    } catch {
                        if !connection.isBroken, await connection.inTransaction() {
                            try? await connection.execute(unsafeSQL: "ROLLBACK")
                        }
                        throw error
                    }
                }
            } catch let error as PostgresError where error.isRetryable && attempt < attempts {
                logger.debug("Retrying transaction", metadata: ["db.error": error.code.rawValue, "db.sqlstate": error.sqlState ?? "", "db.attempt": "\(attempt)"])
                try await Task.sleep(for: .milliseconds(min(1000, 25 << min(attempt, 5))))
                continue
            }
        }
    }

    /// Closes idle connections and refuses new work; leased ones close when returned.
    package func close() async {
        let (idle, waiters) = state.withLock { s -> ([PostgresConnection], [Waiter]) in
            s.closed = true
            let idle = s.idle
            s.open -= idle.count
            s.idle.removeAll()
            var waiters: [Waiter] = []
            while let w = s.popWaiter() { waiters.append(w) }
            return (idle, waiters)
        }
        for w in waiters {
            w.timeout?.cancel()
            w.continuation.resume(throwing: PostgresError(.poolClosed, "the connection pool is closed"))
        }
        for c in idle { await c.close() }
    }

    // MARK: - Leasing

    private enum Step {
        case use(PostgresConnection)
        case open
        case fail(PostgresError)
    }

    package func acquire() async throws(PostgresError) -> PostgresConnection {
        // Bounded: each round either returns or drops one dead idle connection.
        for _ in 0...(configuration.maxConnections + 1) {
            let step = state.withLock { s -> Step? in
                if s.closed { return .fail(PostgresError(.poolClosed, "the connection pool is closed")) }
                if let c = s.idle.popLast() { return .use(c) }
                if s.open < configuration.maxConnections {
                    s.open += 1
                    return .open
                }
                return nil
            }
            let resolved: Step
            if let step {
                resolved = step
            } else {
                do {
                    switch try await waitForGrant() {
                    case .connection(let c): resolved = .use(c)
                    case .slot: resolved = .open
                    }
                } catch let error as PostgresError {
                    throw error
                } catch {
                    throw PostgresError(.poolTimeout, "cancelled while waiting for a database connection")
                }
            }
            switch resolved {
            case .fail(let error):
                throw error
            case .open:
                do {
                    return try await PostgresConnection.connect(configuration.database, logger: logger)
                } catch {
                    slotFreed()
                    throw error
                }
            case .use(let connection):
                if await connection.checkAlive() { return connection }
                logger.debug("Dropping dead idle connection", metadata: ["db.connection": "\(connection.id)"])
                await connection.close()
                // Its slot is reused for a fresh connection.
                do {
                    return try await PostgresConnection.connect(configuration.database, logger: logger)
                } catch {
                    slotFreed()
                    throw error
                }
            }
        }
        throw PostgresError(.poolTimeout, "no usable database connection")
    }

    /// Returns a leased connection: to a waiter, to the idle list, or closes it if it broke.
    package func release(_ connection: PostgresConnection) async {
        var broken = connection.isBroken
        if !broken, await connection.inTransaction() {
            // A caller left a transaction open: never hand that state to someone else.
            try? await connection.execute(unsafeSQL: "ROLLBACK")
            broken = connection.isBroken
        }
        if broken {
            logger.debug("Dropping broken connection", metadata: ["db.connection": "\(connection.id)"])
            await connection.close()
            slotFreed()
            return
        }
        enum Next { case handOff(Waiter), keep, close }
        let next = state.withLock { s -> Next in
            if s.closed {
                s.open -= 1
                return .close
            }
            if let w = s.popWaiter() { return .handOff(w) }
            s.idle.append(connection)
            return .keep
        }
        switch next {
        case .handOff(let w):
            w.timeout?.cancel()
            w.continuation.resume(returning: .connection(connection))
        case .close:
            await connection.close()
        case .keep:
            break
        }
    }

    /// A connection was dropped: let the first waiter open a new one, or shrink.
    private func slotFreed() {
        let waiter = state.withLock { s -> Waiter? in
            if !s.closed, let w = s.popWaiter() { return w }
            s.open -= 1
            return nil
        }
        if let waiter {
            waiter.timeout?.cancel()
            waiter.continuation.resume(returning: .slot)
        }
    }

    private func waitForGrant() async throws -> Grant {
        let id = state.withLock { s -> Int in
            s.nextWaiterID += 1
            return s.nextWaiterID
        }
        let timeout = configuration.acquireTimeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Grant, any Error>) in
                enum Immediate { case grant(Grant), wait, fail(PostgresError) }
                let cancelled = Task.isCancelled
                let immediate = state.withLock { s -> Immediate in
                    if s.closed { return .fail(PostgresError(.poolClosed, "the connection pool is closed")) }
                    if cancelled { return .fail(PostgresError(.poolTimeout, "cancelled while waiting for a database connection")) }
                    if let c = s.idle.popLast() { return .grant(.connection(c)) }
                    if s.open < configuration.maxConnections {
                        s.open += 1
                        return .grant(.slot)
                    }
                    s.waiters[id] = Waiter(continuation: continuation, timeout: nil)
                    s.order.append(id)
                    return .wait
                }
                switch immediate {
                case .grant(let g): continuation.resume(returning: g)
                case .fail(let e): continuation.resume(throwing: e)
                case .wait:
                    let task = Task { [weak self] in
                        try? await Task.sleep(for: timeout)
                        guard !Task.isCancelled else { return }
                        self?.failWaiter(id, PostgresError(.poolTimeout, "no database connection free within \(timeout)"))
                    }
                    state.withLock { s in s.waiters[id]?.timeout = task }
                }
            }
        } onCancel: {
            failWaiter(id, CancellationError())
        }
    }

    private func failWaiter(_ id: Int, _ error: any Error) {
        let waiter = state.withLock { s -> Waiter? in s.waiters.removeValue(forKey: id) }
        guard let waiter else { return }
        waiter.timeout?.cancel()
        waiter.continuation.resume(throwing: error)
    }
}

/// Transaction isolation levels.
package enum IsolationLevel: Sendable {
    case readCommitted, repeatableRead, serializable

    var sql: String {
        switch self {
        case .readCommitted: "READ COMMITTED"
        case .repeatableRead: "REPEATABLE READ"
        case .serializable: "SERIALIZABLE"
        }
    }
}
