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

    /// A new id like `3f9a…c2-0000001a` (16 hex random prefix, at least 8 hex counter digits).
    package static func generate() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        var digits = 8
        while digits < 16 && n >> (4 * UInt64(digits)) != 0 { digits += 1 }
        let hex: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 17 + digits) { buffer in
            prefixBytes.withUnsafeBufferPointer { p in _ = buffer.initialize(from: p) }
            buffer[16] = UInt8(ascii: "-")
            for i in 0..<digits {
                let nibble = Int((n >> (4 * UInt64(digits - 1 - i))) & 0xF)
                buffer[17 + i] = hex.utf8Start[nibble]
            }
            return 17 + digits
        }
    }

    private static let prefixBytes: [UInt8] = Array(prefix.utf8)

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
