/// A parsed JSON value that remembers where objects and arrays sat in the input, so a decoded
/// package can keep its raw object bytes for audit. Numbers keep their text for exact integers.
package indirect enum WireJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, e.g. `10737418240` or `1.5e3`.
    case number(String)
    case string(String)
    /// Elements with the byte range each occupied in the input.
    case array([WireJSON], ranges: [Range<Int>])
    /// Members in input order (duplicate keys: the last one wins on lookup).
    case object([(String, WireJSON)])

    package static func == (a: WireJSON, b: WireJSON) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.number(x), .number(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.array(x, _), .array(y, _)): x == y
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    package subscript(key: String) -> WireJSON? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.0 == key }?.1
    }

    /// A short name of the JSON type, for error messages.
    package var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
