/// One SQL statement with its bind values, built by string interpolation.
///
/// Every interpolated value becomes a `$n` parameter, so values can never change the SQL:
/// ```swift
/// let q: PostgresQuery = "SELECT used_bytes FROM packages WHERE package_id = \(id) AND region = \(region)"
/// // sql: "SELECT used_bytes FROM packages WHERE package_id = $1 AND region = $2"
/// ```
/// SQL text that is not a literal must be spelled `\(unsafeRaw: ...)` or `PostgresQuery(unsafeSQL:)`
/// so that it stands out in review.
package struct PostgresQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// SQL pieces between binds; always `binds.count + 1` of them.
    private var parts: [String]
    /// Text-format parameter values (`nil` is SQL NULL).
    package private(set) var binds: [String?]

    /// A query from SQL text that was not checked for injected values.
    package init(unsafeSQL sql: String) {
        parts = [sql]
        binds = []
    }

    package init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    package init(stringInterpolation: StringInterpolation) {
        parts = stringInterpolation.parts
        binds = stringInterpolation.binds
    }

    /// The SQL text with `$1...$n` placeholders.
    package var sql: String {
        var out = parts[0]
        for i in 0..<binds.count {
            out += "$\(i + 1)"
            out += parts[i + 1]
        }
        return out
    }

    /// The SQL only: bind values are never printed (they may be secrets).
    package var description: String { sql }

    /// Appends another query, renumbering its binds.
    package mutating func append(_ other: PostgresQuery) {
        parts[parts.count - 1] += other.parts[0]
        parts.append(contentsOf: other.parts.dropFirst())
        binds.append(contentsOf: other.binds)
    }

    package static func + (lhs: PostgresQuery, rhs: PostgresQuery) -> PostgresQuery {
        var q = lhs
        q.append(rhs)
        return q
    }

    package struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var parts: [String] = [""]
        fileprivate var binds: [String?] = []

        package init(literalCapacity: Int, interpolationCount: Int) {
            parts.reserveCapacity(interpolationCount + 1)
            binds.reserveCapacity(interpolationCount)
        }

        package mutating func appendLiteral(_ literal: String) {
            parts[parts.count - 1] += literal
        }

        /// Binds a value as the next `$n` parameter.
        package mutating func appendInterpolation<T: PostgresEncodable>(_ value: T) {
            binds.append(value.postgresText)
            parts.append("")
        }

        /// Binds an optional value; `nil` is SQL NULL.
        package mutating func appendInterpolation<T: PostgresEncodable>(_ value: T?) {
            binds.append(value?.postgresText)
            parts.append("")
        }

        /// Splices another query (its binds are renumbered).
        package mutating func appendInterpolation(_ query: PostgresQuery) {
            parts[parts.count - 1] += query.parts[0]
            parts.append(contentsOf: query.parts.dropFirst())
            binds.append(contentsOf: query.binds)
        }

        /// Inserts SQL text verbatim. Only for text chosen from a fixed set in code (e.g. a sort column).
        package mutating func appendInterpolation(unsafeRaw sql: String) {
            parts[parts.count - 1] += sql
        }
    }
}
