import Foundation

/// A Swift value that can be sent as a text-format query parameter.
package protocol PostgresEncodable: Sendable {
    /// The value in PostgreSQL's text input format; `nil` is SQL NULL.
    var postgresText: String? { get }
}

extension String: PostgresEncodable {
    package var postgresText: String? { self }
}

extension Substring: PostgresEncodable {
    package var postgresText: String? { String(self) }
}

extension Int: PostgresEncodable {
    package var postgresText: String? { String(self) }
}

extension Int32: PostgresEncodable {
    package var postgresText: String? { String(self) }
}

extension Int64: PostgresEncodable {
    package var postgresText: String? { String(self) }
}

extension Double: PostgresEncodable {
    /// Swift prints the shortest text that reads back as the same `Double`, as PostgreSQL does.
    package var postgresText: String? {
        if isNaN { return "NaN" }
        if isInfinite { return self > 0 ? "Infinity" : "-Infinity" }
        return "\(self)"
    }
}

extension Bool: PostgresEncodable {
    package var postgresText: String? { self ? "t" : "f" }
}

extension Date: PostgresEncodable {
    /// `2026-11-22T08:00:00.123456Z`: microseconds, the precision of `timestamptz`.
    package var postgresText: String? { PostgresTimestamp.format(self) }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    package var postgresText: String? { self?.postgresText }
}

extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// An array literal such as `{"a","b",NULL}`; every element is quoted, so any text is safe.
    package var postgresText: String? {
        var out = "{"
        out.reserveCapacity(count * 12 + 2)
        var first = true
        for element in self {
            if !first { out += "," }
            first = false
            guard let text = element.postgresText else {
                out += "NULL"
                continue
            }
            out += "\""
            if text.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                for ch in text.unicodeScalars {
                    if ch == "\"" || ch == "\\" { out += "\\" }
                    out.unicodeScalars.append(ch)
                }
            } else {
                out += text
            }
            out += "\""
        }
        return out + "}"
    }
}
