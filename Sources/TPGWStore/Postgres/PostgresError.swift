import TPGWCore

/// The one error type of `TPGWStore`.
///
/// `message` is safe to log: it never contains a password, a bind value or a server `DETAIL`
/// line (those can echo row data). Map it to an `AppError` with `appError` at the module edge.
package struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Code: String, Sendable, Equatable {
        /// Could not open a connection (server down, bad host, authentication failed).
        case connectionFailed
        /// The connection broke while in use (server restart, network cut).
        case connectionLost
        /// No connection became free within the pool's acquire timeout.
        case poolTimeout
        /// The pool has been closed.
        case poolClosed
        /// The server answered with an error; see `sqlState`.
        case server
        /// A column could not be decoded into the requested Swift type.
        case decoding
        /// Migrations could not be applied or do not match the database.
        case migration
        /// A row the operation needs does not exist (e.g. an unregistered source).
        case notFound
        /// The caller passed something the store cannot use (e.g. a malformed cursor).
        case invalidArgument
    }

    package var code: Code
    package var message: String
    /// Five-character SQLSTATE for `.server` errors (e.g. `23505`).
    package var sqlState: String?

    package init(_ code: Code, _ message: String, sqlState: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
    }

    package var description: String {
        if let sqlState { return "PostgresError(\(code.rawValue), \(sqlState)): \(message)" }
        return "PostgresError(\(code.rawValue)): \(message)"
    }

    /// `23505`: a unique constraint was violated.
    package var isUniqueViolation: Bool { sqlState == "23505" }
    /// `40001` / `40P01`: the transaction lost a race and may simply be run again.
    package var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }
    /// `57014`: cancelled, usually by `statement_timeout`.
    package var isQueryCanceled: Bool { sqlState == "57014" }
    /// Whether the connection that produced this error is unusable (or never existed).
    package var isConnectionProblem: Bool {
        switch code {
        case .connectionFailed, .connectionLost: true
        case .server: sqlState.map { $0.hasPrefix("08") || $0 == "57P01" || $0 == "57P02" || $0 == "57P03" } ?? false
        default: false
        }
    }

    /// Whether running the same work again may succeed.
    package var isRetryable: Bool { isSerializationFailure || isConnectionProblem || code == .poolTimeout }

    /// The user-safe error the API shows.
    package var appError: AppError {
        let mapped: AppError.Code
        let text: String
        switch code {
        case .server where isUniqueViolation:
            mapped = .conflict
            text = "The resource already exists."
        case .server where isSerializationFailure:
            mapped = .unavailable
            text = "The database was busy; retry the request."
        case .server where isQueryCanceled:
            mapped = .unavailable
            text = "The database query took too long."
        case .server where sqlState?.hasPrefix("22") == true || sqlState?.hasPrefix("23") == true:
            mapped = .invalidArgument
            text = "The request does not fit the stored data."
        case .notFound:
            mapped = .notFound
            text = message
        case .invalidArgument:
            mapped = .invalidArgument
            text = message
        case .connectionFailed, .connectionLost, .poolTimeout, .poolClosed:
            mapped = .unavailable
            text = "The database is unavailable."
        case .server where isConnectionProblem:
            mapped = .unavailable
            text = "The database is unavailable."
        case .server where sqlState?.hasPrefix("53") == true:
            // Insufficient resources: too many connections, out of memory or disk. The server is there but cannot
            // serve; a retry later may succeed.
            mapped = .unavailable
            text = "The database is out of resources; retry the request later."
        default:
            mapped = .internal
            text = "Internal database error."
        }
        return AppError(mapped, text, underlying: self)
    }
}
