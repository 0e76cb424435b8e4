/// A JSON document with ordered object keys, rendered compactly: the one writer of byte-stable JSON (webhook
/// payloads, whose signatures cover the exact bytes sent; upstream request bodies; problem details).
package indirect enum OrderedJSON: Sendable, Equatable {
    case string(String)
    case number(Double)
    case integer(Int64)
    case bool(Bool)
    case null
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])
    /// Already-encoded JSON, inserted verbatim.
    case raw(String)

    package static func == (a: OrderedJSON, b: OrderedJSON) -> Bool { a.rendered == b.rendered }

    /// `.string` for a non-nil value, `.null` otherwise.
    package static func optional(_ s: String?) -> OrderedJSON { s.map(OrderedJSON.string) ?? .null }

    package var rendered: String {
        var out = ""
        render(into: &out)
        return out
    }

    package var bytes: [UInt8] { Array(rendered.utf8) }

    private func render(into out: inout String) {
        switch self {
        case .string(let s): out += JSONString.quote(s)
        case .number(let d): out += d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)) : "null"
        case .integer(let i): out += String(i)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .raw(let s): out += s
        case .array(let items):
            out += "["
            for (i, v) in items.enumerated() {
                if i > 0 { out += "," }
                v.render(into: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, (k, v)) in fields.enumerated() {
                if i > 0 { out += "," }
                out += JSONString.quote(k) + ":"
                v.render(into: &out)
            }
            out += "}"
        }
    }
}
