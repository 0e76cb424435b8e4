/// Turns a `DecodingError` into a field error named like `rules[0].thresholds`; nil for malformed JSON.
package enum DecodingFieldError {
    package static func make(_ error: DecodingError) -> AppError.FieldError? {
        switch error {
        case .keyNotFound(let key, let context):
            return .init(field: path(context.codingPath + [key]), message: "is required")
        case .typeMismatch(let type, let context):
            return .init(field: path(context.codingPath), message: "has the wrong type (expected \(simpleName(type)))")
        case .valueNotFound(let type, let context):
            return .init(field: path(context.codingPath), message: "must not be null (expected \(simpleName(type)))")
        case .dataCorrupted(let context):
            // An empty path means the JSON text itself is broken.
            guard !context.codingPath.isEmpty else { return nil }
            return .init(field: path(context.codingPath), message: context.debugDescription)
        @unknown default:
            return nil
        }
    }

    /// `rules`, `0`, `thresholds` -> `rules[0].thresholds`.
    package static func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for key in keys {
            if let i = key.intValue {
                out += "[\(i)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out
    }

    private static func simpleName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "string"
        case is Double.Type, is Int64.Type, is Int.Type: "number"
        case is Bool.Type: "boolean"
        default: "\(type)".lowercased().contains("array") ? "array" : "object"
        }
    }
}
