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
        let flat = body.withUnsafeBufferPointer { buf -> [String: String]? in
            var s = WireScanner(buf)
            var out: [String: String] = [:]
            do throws(WireScanner.Failure) {
                guard s.peek(UInt8(ascii: "{")) else { return nil }
                try Self.flatten(&s, prefix: nil, into: &out)
                try s.end()
            } catch {
                return nil
            }
            return out
        }
        guard let flat else { return nil }
        values = flat
    }

    /// From an `application/x-www-form-urlencoded` query.
    init(query: String) {
        for part in query.split(separator: "&") where !part.isEmpty {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[Self.decode(kv[0])] = kv.count > 1 ? Self.decode(kv[1]) : ""
        }
    }

    /// The value at the scanner's offset, flattened under `prefix` (members in order; a later duplicate overwrites).
    private static func flatten(_ s: inout WireScanner, prefix: String?, into out: inout [String: String]) throws(WireScanner.Failure) {
        if s.peek(UInt8(ascii: "{")) {
            try s.beginObject()
            while let key = try s.nextKey() {
                let k = s.string(key)
                try flatten(&s, prefix: prefix.map { "\($0).\(k)" } ?? k, into: &out)
            }
        } else if s.peek(UInt8(ascii: "[")) {
            try s.beginArray()
            var n = 0
            while try s.nextElement() {
                try flatten(&s, prefix: prefix.map { "\($0).\(n)" } ?? "\(n)", into: &out)
                n += 1
            }
        } else {
            let v = try s.scalar()
            guard let prefix else { return }
            switch v {
            case .string(let r, let e): out[prefix] = s.string(.init(range: r, escaped: e))
            case .number(let r): out[prefix] = String(decoding: s.slice(r), as: UTF8.self)
            case .bool(let b): out[prefix] = b ? "true" : "false"
            default: break
            }
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
