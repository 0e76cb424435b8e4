import TPGWCore

/// All of tpgw's SQL, one extension file per aggregate (`PostgresStore+Polls.swift`, ...).
///
/// Other modules add their own `PostgresStore+X.swift` extensions using `pool` and `PostgresQuery`.
package final class PostgresStore: Sendable {
    package let pool: ConnectionPool
    package let logger: Logger

    package init(pool: ConnectionPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }
}
