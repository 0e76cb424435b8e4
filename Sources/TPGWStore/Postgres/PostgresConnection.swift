import CLibPQ
import Foundation
import Synchronization
import TPGWCore

/// One libpq connection. The only owner of a `PGconn*`.
///
/// Every libpq call runs on the connection's own `BlockingWorker` thread; callers await the
/// result. A connection is used by one task at a time (the pool hands out leases).
package final class PostgresConnection: @unchecked Sendable {
    /// Touched only on `worker`.
    private var handle: OpaquePointer?
    private let worker: BlockingWorker
    private let redactor: SecretMask
    private let broken = Atomic<Bool>(false)
    private let logger: Logger
    /// A number for logs.
    package let id: Int

    private init(handle: OpaquePointer, worker: BlockingWorker, redactor: SecretMask, id: Int, logger: Logger) {
        self.handle = handle
        self.worker = worker
        self.redactor = redactor
        self.id = id
        self.logger = logger
    }

    deinit {
        // close() is the normal path; this only catches leaks.
        if let handle {
            let h = UncheckedPointer(handle)
            worker.submit { PQfinish(h.pointer) }
        }
        worker.stop()
    }

    /// True once a statement failed because the connection itself broke.
    package var isBroken: Bool { broken.load(ordering: .relaxed) }

    private static let nextID = Atomic<Int>(1)

    /// Opens a connection described by `configuration` (URL or conninfo), then applies the
    /// session settings (UTC, ISO dates, statement timeout).
    package static func connect(_ configuration: PostgresConfiguration, logger: Logger) async throws(PostgresError) -> PostgresConnection {
        let id = nextID.add(1, ordering: .relaxed).oldValue
        let worker = BlockingWorker(name: "tpgw-pg-\(id)")
        let redactor = configuration.redactor
        let result: Result<UncheckedPointer, PostgresError>? = await worker.run {
            let keywords = ["dbname", "connect_timeout", "application_name"]
            let values = [configuration.url, String(max(1, Int(configuration.connectTimeout.components.seconds))), configuration.applicationName]
            let handle = withCStringArray(keywords) { k in
                withCStringArray(values) { v in PQconnectdbParams(k, v, 1) }
            }
            guard let handle else { return .failure(PostgresError(.connectionFailed, "out of memory")) }
            if PQstatus(handle) != CONNECTION_OK {
                let text = redactor.apply(String(cString: PQerrorMessage(handle)))
                PQfinish(handle)
                return .failure(PostgresError(.connectionFailed, "could not connect: " + text.trimmingCharacters(in: .whitespacesAndNewlines)))
            }
            PQsetNoticeProcessor(handle, { _, _ in }, nil)
            return .success(UncheckedPointer(handle))
        }
        guard let result else { throw PostgresError(.connectionFailed, "worker stopped") }
        let handle: UncheckedPointer
        switch result {
        case .success(let h): handle = h
        case .failure(let error):
            worker.stop()
            throw error
        }
        let connection = PostgresConnection(handle: handle.pointer, worker: worker, redactor: redactor, id: id, logger: logger)
        var setup = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601';"
        if let timeout = configuration.statementTimeout {
            let ms = timeout.milliseconds
            setup += " SET statement_timeout = \(ms);"
        }
        do {
            try await connection.execute(unsafeSQL: setup)
        } catch {
            await connection.close()
            throw PostgresError(.connectionFailed, "session setup failed: \(error.message)", sqlState: error.sqlState)
        }
        logger.debug("Postgres connection opened", metadata: ["db.connection": "\(id)"])
        return connection
    }

    /// Runs one statement with text-format binds (`PQexecParams`).
    package func query(_ query: PostgresQuery) async throws(PostgresError) -> PostgresResult {
        let sql = query.sql
        let binds = query.binds
        let outcome: Result<PostgresResult, PostgresError>? = await worker.run { [self] in
            guard let handle else { return .failure(PostgresError(.connectionLost, "connection is closed")) }
            let raw = withOptionalCStringArray(binds) { values in
                PQexecParams(handle, sql, Int32(binds.count), nil, values, nil, nil, 0)
            }
            return check(raw, handle: handle)
        }
        guard let outcome else { throw PostgresError(.connectionLost, "connection is closed") }
        return try outcome.get()
    }

    /// Runs one or more `;`-separated statements with no binds (simple query protocol).
    /// For migrations and fixed session commands only.
    package func execute(unsafeSQL sql: String) async throws(PostgresError) {
        let outcome: Result<PostgresResult, PostgresError>? = await worker.run { [self] in
            guard let handle else { return .failure(PostgresError(.connectionLost, "connection is closed")) }
            return check(PQexec(handle, sql), handle: handle)
        }
        guard let outcome else { throw PostgresError(.connectionLost, "connection is closed") }
        _ = try outcome.get()
    }

    /// Whether the connection still works, without a round trip: it must be idle, and if the
    /// server sent something unprompted (such as a shutdown notice) it is read and the status checked.
    package func checkAlive() async -> Bool {
        guard !isBroken else { return false }
        let alive: Bool? = await worker.run { [self] in
            guard let handle, PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) == PQTRANS_IDLE else { return false }
            // A server that is going away sends a FATAL message and then closes the socket; read
            // until nothing more is pending so the close is seen too.
            for _ in 0..<4 {
                var pfd = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
                let ready = poll(&pfd, 1, 0)
                if ready < 0 || pfd.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 { return false }
                if ready == 0 { return PQstatus(handle) == CONNECTION_OK }
                if PQconsumeInput(handle) == 0 { return false }
                _ = PQisBusy(handle)
                while let notify = PQnotifies(handle) { PQfreemem(notify) }
                if PQstatus(handle) != CONNECTION_OK { return false }
            }
            return false
        }
        let ok = alive ?? false
        if !ok { broken.store(true, ordering: .relaxed) }
        return ok
    }

    /// Whether a transaction is open (or failed and awaiting ROLLBACK) on this connection.
    package func inTransaction() async -> Bool {
        let status: Bool? = await worker.run { [self] in
            guard let handle else { return false }
            let s = PQtransactionStatus(handle)
            return s == PQTRANS_INTRANS || s == PQTRANS_INERROR
        }
        return status ?? false
    }

    /// Closes the connection and ends its thread.
    package func close() async {
        broken.store(true, ordering: .relaxed)
        _ = await worker.run { [self] in
            if let handle { PQfinish(handle) }
            handle = nil
        }
        worker.stop()
        logger.debug("Postgres connection closed", metadata: ["db.connection": "\(id)"])
    }

    /// Turns a `PGresult*` into a result or an error. Runs on the worker.
    private func check(_ raw: OpaquePointer?, handle: OpaquePointer) -> Result<PostgresResult, PostgresError> {
        let result = PostgresResult(owning: raw)
        let status = raw.map { PQresultStatus($0) } ?? PGRES_FATAL_ERROR
        if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY {
            return .success(result)
        }
        let connectionBad = PQstatus(handle) != CONNECTION_OK
        let sqlState = raw.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
        var message = raw.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "M"))) }.map { String(cString: $0) }
            ?? String(cString: PQerrorMessage(handle))
        message = redactor.apply(message.trimmingCharacters(in: .whitespacesAndNewlines))
        if connectionBad || sqlState == "57P01" || sqlState?.hasPrefix("08") == true {
            broken.store(true, ordering: .relaxed)
            return .failure(PostgresError(.connectionLost, "connection lost: " + message, sqlState: sqlState))
        }
        return .failure(PostgresError(.server, message, sqlState: sqlState))
    }
}

/// A C pointer carried across the worker hop. Only ever dereferenced on the worker thread.
struct UncheckedPointer: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}

private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let duplicated: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { duplicated.forEach { free($0) } }
    var pointers: [UnsafePointer<CChar>?] = duplicated.map { $0.map { UnsafePointer($0) } }
    pointers.append(nil)
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

private func withOptionalCStringArray<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    if strings.isEmpty { return body(nil) }
    let duplicated: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
    defer { duplicated.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = duplicated.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
