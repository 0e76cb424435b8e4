import Foundation
import TPGWTestSupport
import Testing
@testable import TPGWStore

@Suite struct PostgresQueryTests {
    @Test func interpolation_turnsValuesIntoNumberedBinds() {
        let id = "tp-1'; DROP TABLE packages; --"
        let q: PostgresQuery = "SELECT a FROM packages WHERE package_id = \(id) AND used_bytes > \(Int64(5))"
        #expect(q.sql == "SELECT a FROM packages WHERE package_id = $1 AND used_bytes > $2")
        #expect(q.binds == [id, "5"])
        #expect(!q.description.contains("DROP"))
    }

    @Test func append_renumbersBinds() {
        var q: PostgresQuery = "SELECT 1 WHERE a = \(1)"
        q.append(" AND b = \("x") AND c = \(true)")
        let inner: PostgresQuery = "d = \(2)"
        q.append(" AND \(inner)")
        #expect(q.sql == "SELECT 1 WHERE a = $1 AND b = $2 AND c = $3 AND d = $4")
        #expect(q.binds == ["1", "x", "t", "2"])
    }

    @Test func unsafeRaw_isSplicedVerbatim() {
        let q: PostgresQuery = "SELECT 1 ORDER BY \(unsafeRaw: "expires_at DESC") LIMIT \(10)"
        #expect(q.sql == "SELECT 1 ORDER BY expires_at DESC LIMIT $1")
    }

    static let arrayCases: [([String?], String)] = [
        (["a", "b"], #"{"a","b"}"#),
        (["x\"y", "back\\slash", nil], #"{"x\"y","back\\slash",NULL}"#),
        ([], "{}"),
    ]

    @Test(arguments: arrayCases)
    func arrays_encodeAsQuotedLiterals(values: [String?], expected: String) {
        #expect(values.postgresText == expected)
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"),
        (1.5, "1970-01-01T00:00:01.500000Z"),
        (1_763_800_000.000001, "2025-11-22T08:26:40.000001Z"),
    ])
    func timestamps_formatWithMicroseconds(seconds: Double, expected: String) {
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test(arguments: [
        ("2026-11-22 08:00:00+00", 1795334400.0),
        ("2026-11-22 08:00:00.25+00", 1795334400.25),
        ("2026-11-22 16:00:00+08", 1795334400.0),
        ("2026-11-22 05:30:00-02:30", 1795334400.0),
    ])
    func timestamps_parseServerOutput(text: String, expected: Double) {
        let parsed = Array(text.utf8).withUnsafeBufferPointer { PostgresTimestamp.parse($0) }
        #expect(parsed?.timeIntervalSince1970 == expected)
    }

    @Test(arguments: [("23505", "conflict"), ("40001", "unavailable"), ("40P01", "unavailable"), ("57014", "unavailable"), ("22P02", "invalidArgument"), ("42601", "internal")])
    func sqlState_mapsToAppError(state: String, code: String) {
        #expect(PostgresError(.server, "x", sqlState: state).appError.code.rawValue == code)
    }
}
