/// The stable identity of one alert: (budget, rule, subject). Its text form is 16 lowercase hex digits.
///
/// FNV-1a 64 over `budgetID|ruleIndex|kind|subject`: stable across processes and releases (unlike `Hasher`),
/// and cheap. It deduplicates, it is not a security boundary. The kind is included so that a rule list
/// edited in place does not carry an alert over to a different kind of rule.
///
/// Held as the 64-bit hash, not its text: an alert pass makes one per condition and looks each up among every
/// stored alert, so hashing, comparing and copying it costs an integer's (16 hex digits do not fit a small string,
/// the text would be an allocation each). The text is made where it leaves the process (rows, payloads, JSON).
package struct Fingerprint: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    /// The FNV-1a 64 hash.
    package let bits: UInt64

    /// Parses the text form (exactly 16 lowercase hex digits); nil for anything else.
    package init?(_ text: String) {
        guard text.utf8.count == 16 else { return nil }
        var bits: UInt64 = 0
        for byte in text.utf8 {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            bits = bits << 4 | UInt64(nibble)
        }
        self.bits = bits
    }

    package init(budgetID: String, ruleIndex: Int, kind: AlertRule.Kind, subject: AlertSubject) {
        // FNV-1a 64 of the bytes of "<budgetID>|<ruleIndex>|<kind>|<subject>", fed piece by piece without building
        // the text (no array of pieces, no intermediate strings).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func feed(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        func feed(_ s: String) {
            var s = s
            s.withUTF8 { for byte in $0 { feed(byte) } }
        }
        let bar = UInt8(ascii: "|"), colon = UInt8(ascii: ":")
        let source = subject.source
        feed(budgetID)
        feed(bar)
        // The decimal digits of the rule index, without making a string of them.
        if ruleIndex < 0 { feed(UInt8(ascii: "-")) }
        var magnitude = ruleIndex.magnitude, scale: UInt = 1
        while magnitude / scale >= 10 { scale *= 10 }
        while scale > 0 {
            feed(UInt8(ascii: "0") + UInt8(magnitude / scale))
            magnitude %= scale
            scale /= 10
        }
        feed(bar)
        feed(kind.rawValue)
        feed(bar)
        switch subject {
        case .package: feed("package")
        case .pool: feed("pool")
        case .source: feed("source")
        }
        feed(colon)
        feed(source.provider)
        feed(colon)
        feed(source.account)
        feed(colon)
        feed(source.region)
        if let key = subject.packageKey {
            feed(colon)
            feed(key.id)
        }
        bits = hash
    }

    /// The text form: 16 lowercase hex digits, zero-padded.
    package var value: String {
        String(unsafeUninitializedCapacity: 16) { out in
            for i in 0..<16 {
                let nibble = UInt8((bits >> UInt64(60 - 4 * i)) & 0xf)
                out[i] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            }
            return 16
        }
    }

    package var description: String { value }
    /// The order of the text form (zero-padded hex sorts like the number).
    package static func < (a: Fingerprint, b: Fingerprint) -> Bool { a.bits < b.bits }

    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = Fingerprint(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a fingerprint (16 lowercase hex digits)"))
        }
        self = parsed
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}
