import TPGWCore

/// Reads typed fields out of a JSON object, recording a problem per wrong type and per unknown key.
struct JSONObjectReader {
    let object: [String: JSONValue]
    let path: String
    var problems: [String]
    private var seen: Set<String> = []

    init(_ object: [String: JSONValue], path: String, problems: [String]) {
        self.object = object
        self.path = path
        self.problems = problems
    }

    private mutating func value(_ key: String) -> JSONValue? {
        seen.insert(key)
        guard let v = object[key], v != .null else { return nil }
        return v
    }

    private mutating func typed<T>(_ key: String, _ expected: String, _ extract: (JSONValue) -> T?) -> T? {
        guard let v = value(key) else { return nil }
        if let t = extract(v) { return t }
        problems.append("\(path)\(key): expected \(expected), got \(v.typeName)")
        return nil
    }

    mutating func string(_ key: String) -> String? { typed(key, "a string") { $0.stringValue } }
    mutating func int(_ key: String) -> Int? { typed(key, "an integer") { $0.intValue } }
    mutating func double(_ key: String) -> Double? { typed(key, "a number") { $0.doubleValue } }
    mutating func bool(_ key: String) -> Bool? { typed(key, "true or false") { $0.boolValue } }
    mutating func array(_ key: String) -> [JSONValue]? { typed(key, "an array") { $0.arrayValue } }
    mutating func object(_ key: String) -> [String: JSONValue]? { typed(key, "an object") { $0.objectValue } }

    mutating func rejectUnknownKeys() {
        for key in object.keys.sorted() where !seen.contains(key) {
            problems.append("\(path)\(key): unknown key")
        }
    }
}
