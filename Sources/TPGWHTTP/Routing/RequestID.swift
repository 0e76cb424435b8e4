import Synchronization

/// Request ids: validates incoming ones, generates unique ones cheaply (random process prefix + counter).
package enum RequestID {
    private static let prefix: String = {
        var g = SystemRandomNumberGenerator()
        let v = g.next() as UInt64
        let hex = String(v, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }()
    private static let counter = Atomic<UInt64>(0)

    /// A new id like `3f9a…c2-0000001a`.
    package static func generate() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        let hex = String(n, radix: 16)
        return prefix + "-" + (hex.count < 8 ? String(repeating: "0", count: 8 - hex.count) + hex : hex)
    }

    /// `value` when it is 1...128 characters of `[A-Za-z0-9._-]`, else nil.
    package static func accept(_ value: String?) -> String? {
        guard let value else { return nil }
        let utf8 = value.utf8
        guard !utf8.isEmpty, utf8.count <= 128 else { return nil }
        for c in utf8 {
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                continue
            default:
                return nil
            }
        }
        return value
    }
}
