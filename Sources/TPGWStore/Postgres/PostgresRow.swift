/// One row of a `PostgresResult`, decoded by position or name.
///
/// ```swift
/// let (id, used, seenAt) = try row.decode((String, Int64, Date?).self)
/// ```
package struct PostgresRow: Sendable {
    let result: PostgresResult
    let index: Int

    /// The value at `column` (0-based) as `T`.
    package func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at column: Int) throws(PostgresError) -> T {
        try result.withCell(row: index, column: column) { bytes throws(PostgresError) in try T.decode(postgresText: bytes) }
    }

    /// The value of the column named `name` as `T`.
    package func decode<T: PostgresDecodable>(_ type: T.Type = T.self, named name: String) throws(PostgresError) -> T {
        guard let column = result.columns.firstIndex(of: name) else {
            throw PostgresError(.decoding, "no column named \(name)")
        }
        return try decode(type, at: column)
    }

    /// All columns, left to right, as a tuple of the given types.
    package func decode<each T: PostgresDecodable>(_ types: (repeat each T).Type) throws(PostgresError) -> (repeat each T) {
        // A class rather than a captured `var`: Swift 6.3's MandatoryAllocBoxToStack pass crashes on a boxed
        // counter captured by a local function used in a pack expansion (seen in CI).
        let cursor = ColumnCursor()
        return (repeat try cursor.next((each T).self, in: self))
    }
}

/// The next column to decode in `PostgresRow.decode(_:)`.
private final class ColumnCursor {
    var column = 0

    func next<U: PostgresDecodable>(_ type: U.Type, in row: PostgresRow) throws(PostgresError) -> U {
        defer { column += 1 }
        return try row.decode(type, at: column)
    }
}
