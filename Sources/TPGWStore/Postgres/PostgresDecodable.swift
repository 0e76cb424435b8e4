import Foundation

/// A Swift value that can be read from a text-format result column.
package protocol PostgresDecodable: Sendable {
    /// Decodes the column's text; `bytes` is nil for SQL NULL.
    static func decode(postgresText bytes: UnsafeBufferPointer<UInt8>?) throws(PostgresError) -> Self
}

extension PostgresDecodable {
    fileprivate static func mismatch(_ bytes: UnsafeBufferPointer<UInt8>?) -> PostgresError {
        PostgresError(.decoding, bytes == nil ? "unexpected NULL for \(Self.self)" : "column is not a valid \(Self.self)")
    }
}

extension String: PostgresDecodable {
    package static func decode(postgresText bytes: UnsafeBufferPointer<UInt8>?) throws(PostgresError) -> String {
        guard let bytes else { throw mismatch(bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Int64: PostgresDecodable {
    package static func decode(postgresText bytes: UnsafeBufferPointer<UInt8>?) throws(PostgresError) -> Int64 {
        guard let bytes, !bytes.isEmpty else { throw mismatch(bytes) }
        var i = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        guard i < bytes.count else { throw mismatch(bytes) }
        var v: Int64 = 0
        while i < bytes.count {
            let c = bytes[i]
            guard c >= 48 && c <= 57 else { throw mismatch(bytes) }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(c - 48)) : m.addingReportingOverflow(Int64(c - 48))
            guard !o1 && !o2 else { throw mismatch(bytes) }
            v = s
            i += 1
        }
        return v
    }
}

extension Int: PostgresDecodable {
    package static func decode(postgresText bytes: UnsafeBufferPointer<UInt8>?) throws(PostgresError) -> Int {
        Int(try Int64.decode(postgresText: bytes))
    }
}

extension Int32: PostgresDecodable {
    package static func decode(postgresText bytes: UnsafeBufferPointer<UInt8>?) throws(PostgresError) -> Int32 {
        guard let v = Int32(exactly: try Int64.decode(postgresText: bytes)) else { throw mismatch(bytes) }
        return v
    }
}

extension Double: PostgresDecodable {
    package static func decode(postgresText bytes: UnsafeBufferPointer<UInt8>?) throws(PostgresError) -> Double {
        guard let bytes, let v = Double(String(decoding: bytes, as: UTF8.self)) else { throw mismatch(bytes) }
        return v
    }
}

extension Bool: PostgresDecodable {
    package static func decode(postgresText bytes: UnsafeBufferPointer<UInt8>?) throws(PostgresError) -> Bool {
        guard let bytes, bytes.count == 1 else { throw mismatch(bytes) }
        switch bytes[0] {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: throw mismatch(bytes)
        }
    }
}

extension Date: PostgresDecodable {
    package static func decode(postgresText bytes: UnsafeBufferPointer<UInt8>?) throws(PostgresError) -> Date {
        guard let bytes, let date = PostgresTimestamp.parse(bytes) else { throw mismatch(bytes) }
        return date
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    package static func decode(postgresText bytes: UnsafeBufferPointer<UInt8>?) throws(PostgresError) -> Wrapped? {
        guard let bytes else { return nil }
        return try Wrapped.decode(postgresText: bytes)
    }
}
