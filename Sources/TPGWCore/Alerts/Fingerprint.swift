/// The stable identity of one alert: (budget, rule, subject). 16 lowercase hex digits.
///
/// FNV-1a 64 over `budgetID|ruleIndex|kind|subject`: stable across processes and releases (unlike `Hasher`),
/// and cheap. It deduplicates, it is not a security boundary. The kind is included so that a rule list
/// edited in place does not carry an alert over to a different kind of rule.
package struct Fingerprint: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    package var value: String

    package init(value: String) {
        self.value = value
    }

    package init(budgetID: String, ruleIndex: Int, kind: AlertRule.Kind, subject: AlertSubject) {
        // FNV-1a 64 of the bytes of "<budgetID>|<ruleIndex>|<kind>|<subject>", fed piece by piece without building
        // the text (an alert pass makes one per condition: no array of pieces, no intermediate strings).
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
        feed(String(ruleIndex))  // a small string: stored inline, no allocation
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
        // 16 lowercase hex digits, zero-padded.
        value = String(unsafeUninitializedCapacity: 16) { out in
            for i in 0..<16 {
                let nibble = UInt8((hash >> UInt64(60 - 4 * i)) & 0xf)
                out[i] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            }
            return 16
        }
    }

    package var description: String { value }
    package static func < (a: Fingerprint, b: Fingerprint) -> Bool { a.value < b.value }

    package init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(String.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}
