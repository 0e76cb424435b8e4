/// Rejects JSON objects with fields the type does not know, so a typo in a budget is an error, not a no-op.
enum StrictKeys {
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Throws `DecodingError.dataCorrupted` at the first unknown field of the object `decoder` is at.
    static func check(_ decoder: any Decoder, allowed: Set<String>) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        for key in c.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where !allowed.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath + [key], debugDescription: "unknown field"))
        }
    }
}
