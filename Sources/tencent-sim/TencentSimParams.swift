import TPGWCore
import TPGWTencent

/// An action's parameters, flattened the way GET and form requests carry them (`Filters.0.Values.1`), whether
/// they came as a JSON body or a query string.
struct TencentSimParams: Sendable {
    /// Flattened key → scalar text (strings unquoted, numbers as written, booleans `true`/`false`).
    var values: [String: String] = [:]

    init(values: [String: String]) { self.values = values }

    /// From a JSON object body; nil when it is not one.
    init?(json body: [UInt8]) {
        if body.isEmpty { return }
        guard let doc = try? JSONParser.parse(body), case .object = doc else { return nil }
        Self.flatten(doc, prefix: nil, into: &values)
    }

    /// From an `application/x-www-form-urlencoded` query.
    init(query: String) {
        for part in query.split(separator: "&") where !part.isEmpty {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[Self.decode(kv[0])] = kv.count > 1 ? Self.decode(kv[1]) : ""
        }
    }

    private static func flatten(_ v: WireJSON, prefix: String?, into out: inout [String: String]) {
        switch v {
        case .object(let members):
            for (k, x) in members { flatten(x, prefix: prefix.map { "\($0).\(k)" } ?? k, into: &out) }
        case .array(let items, _):
            for (n, x) in items.enumerated() { flatten(x, prefix: prefix.map { "\($0).\(n)" } ?? "\(n)", into: &out) }
        case .string(let s): if let prefix { out[prefix] = s }
        case .number(let s): if let prefix { out[prefix] = s }
        case .bool(let b): if let prefix { out[prefix] = b ? "true" : "false" }
        case .null: break
        }
    }

    private static func decode(_ s: Substring) -> String {
        var bytes: [UInt8] = []
        var i = s.utf8.startIndex
        let u = s.utf8
        while i < u.endIndex {
            let c = u[i]
            if c == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if c == UInt8(ascii: "%"), let j = u.index(i, offsetBy: 2, limitedBy: u.endIndex), j < u.endIndex,
                let v = UInt8(String(decoding: u[u.index(after: i)...j], as: UTF8.self), radix: 16)
            {
                bytes.append(v)
                i = j
            } else {
                bytes.append(c)
            }
            i = u.index(after: i)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The top-level parameter names (`Filters.0.Name` → `Filters`).
    var topLevelNames: Set<String> { Set(values.keys.map { String($0.split(separator: ".", maxSplits: 1)[0]) }) }

    func string(_ key: String) -> String? { values[key] }

    /// `key.0`, `key.1`, … until a gap.
    func list(_ key: String) -> [String] {
        var out: [String] = []
        while let v = values["\(key).\(out.count)"] { out.append(v) }
        return out
    }

    /// `Filters.N.Name` with `Filters.N.Values.M`.
    var filters: [(name: String, values: [String])] {
        var out: [(String, [String])] = []
        while let name = values["Filters.\(out.count).Name"] { out.append((name, list("Filters.\(out.count).Values"))) }
        return out
    }
}
