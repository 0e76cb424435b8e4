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
        // Hashes the bytes of "<budgetID>|<ruleIndex>|<kind>|<subject>" piece by piece, without building it.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func feed(_ s: String) {
            for byte in s.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        let source = subject.source
        let prefix: String
        switch subject {
        case .package: prefix = "package"
        case .pool: prefix = "pool"
        case .source: prefix = "source"
        }
        for piece in [budgetID, "|", String(ruleIndex), "|", kind.rawValue, "|", prefix, ":", source.provider, ":", source.account, ":", source.region] {
            feed(piece)
        }
        if let key = subject.packageKey {
            feed(":")
            feed(key.id)
        }
        let hex = String(hash, radix: 16)
        value = String(repeating: "0", count: 16 - hex.count) + hex
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
