import CLibPQ

/// The rows of one statement. Owns the `PGresult` and frees it when released.
///
/// A `PGresult` is immutable once returned, so it is safe to read from any thread.
package final class PostgresResult: @unchecked Sendable, RandomAccessCollection {
    private let handle: OpaquePointer?
    /// Number of rows returned.
    package let count: Int
    /// Column names, in order.
    package let columns: [String]
    /// Rows affected, for INSERT/UPDATE/DELETE (`PQcmdTuples`); 0 when not reported.
    package let affectedRows: Int

    init(owning handle: OpaquePointer?) {
        self.handle = handle
        guard let handle else {
            count = 0
            columns = []
            affectedRows = 0
            return
        }
        count = Int(PQntuples(handle))
        let n = Int(PQnfields(handle))
        columns = (0..<n).map { String(cString: PQfname(handle, Int32($0))) }
        affectedRows = Int(String(cString: PQcmdTuples(handle))) ?? 0
    }

    deinit {
        if let handle { PQclear(handle) }
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { count }
    package subscript(position: Int) -> PostgresRow { PostgresRow(result: self, index: position) }

    /// Calls `body` with the raw bytes of one cell (nil for SQL NULL). Valid only inside `body`.
    func withCell<T>(row: Int, column: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws(PostgresError) -> T) throws(PostgresError) -> T {
        guard let handle, column >= 0, column < columns.count, row >= 0, row < count else {
            throw PostgresError(.decoding, "no column \(column) in row \(row)")
        }
        if PQgetisnull(handle, Int32(row), Int32(column)) == 1 { return try body(nil) }
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        let pointer = PQgetvalue(handle, Int32(row), Int32(column))!
        return try pointer.withMemoryRebound(to: UInt8.self, capacity: length) { p throws(PostgresError) in
            try body(UnsafeBufferPointer(start: p, count: length))
        }
    }
}
