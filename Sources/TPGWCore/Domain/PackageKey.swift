/// The identity of a package across providers: `provider:account:region:id`.
package struct PackageKey: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    package var provider: String
    package var account: String
    package var region: String
    package var id: String

    package init(provider: String, account: String, region: String, id: String) {
        self.provider = provider
        self.account = account
        self.region = region
        self.id = id
    }

    /// Parses `bce:prod:bj:tp-87V5cnkwqO`; nil unless exactly four non-empty parts. Split on the `:` byte, not on
    /// characters: an id starting with a combining mark would otherwise merge with the `:` before it into one
    /// character and the key would not round-trip (found by scripts/fuzz-bce-list).
    package init?(_ string: String) {
        let parts = string.utf8.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        func text(_ part: Substring.UTF8View) -> String { String(Substring(part)) }
        self.init(provider: text(parts[0]), account: text(parts[1]), region: text(parts[2]), id: text(parts[3]))
    }

    /// Whether `bytes` can be a key's id: no `:` (the separator, `init?(_:)` splits on it) and no control character
    /// (a key is stored as PostgreSQL text, which holds no NUL). Both clouds' decoders skip a package whose id is not.
    package static func isUsableID<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: ":") || $0 == 0x7F }
    }

    /// Why an id failed ``isUsableID(_:)``, as a skipped package's reason.
    package static let unusableIDReason = "contains ':' or a control character"

    /// Hashes the id and region only (a package id is unique per region upstream; equal keys still compare every
    /// field): half the hashing work for the view's 100,000-key dictionaries.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(region)
    }

    package var description: String { "\(provider):\(account):\(region):\(id)" }
    package var source: SourceID { SourceID(provider: provider, account: account, region: region) }

    /// Field by field (provider, account, region, id), without building the description: sorting 100,000 keys
    /// allocates nothing.
    package static func < (a: PackageKey, b: PackageKey) -> Bool {
        if a.provider != b.provider { return a.provider < b.provider }
        if a.account != b.account { return a.account < b.account }
        if a.region != b.region { return a.region < b.region }
        return a.id < b.id
    }

    package init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let key = PackageKey(s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a package key: \(s)"))
        }
        self = key
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
