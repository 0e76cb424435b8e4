/// One member value as `WireScanner` saw it: scalars as byte ranges into the scanned body, containers by kind.
public enum WireScalar {
    /// The member was not present.
    case missing
    case null
    case bool(Bool)
    /// The number's literal bytes.
    case number(Range<Int>)
    /// The string's raw bytes between the quotes; `escaped` when they contain backslash escapes.
    case string(Range<Int>, escaped: Bool)
    case object
    case array

    /// A short name of the JSON type, for error messages.
    @inlinable
    package var typeName: String {
        switch self {
        case .missing: "nothing"
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .object: "object"
        case .array: "array"
        }
    }

    /// The string token, when this is a string.
    @inlinable
    package var stringToken: WireScanner.StringToken? {
        if case .string(let r, let e) = self { WireScanner.StringToken(range: r, escaped: e) } else { nil }
    }
}
