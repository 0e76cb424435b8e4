import TPGWCrypto

/// What an API key may do. `admin` includes `write`, which includes `read`.
enum Scope: String, Sendable, Codable, CaseIterable, Comparable {
    case read, write, admin

    private var rank: Int { Scope.allCases.firstIndex(of: self)! }
    static func < (a: Scope, b: Scope) -> Bool { a.rank < b.rank }
}

/// API key material: the secret shown once, and the hash we store.
package enum APIKey {
    static let prefix = "tpgw_"

    /// A new random key (`tpgw_` + 40 hex digits of randomness from libcrypto).
    package static func generate() -> String { prefix + Crypto.randomHex(bytes: 20) }

    /// The stored form: hex SHA-256 of the key. Keys carry 160 bits of randomness, so an unsalted hash is enough.
    package static func hash(_ key: String) -> String { Crypto.sha256(key).hexString }

    /// Whether a presented key matches a stored hash, compared in constant time.
    static func matches(_ key: String, hash stored: String) -> Bool {
        Crypto.constantTimeEquals(Array(hash(key).utf8), Array(stored.utf8))
    }

    /// Compares two stored hashes in constant time.
    static func matchesHash(_ a: String, _ b: String) -> Bool {
        Crypto.constantTimeEquals(Array(a.utf8), Array(b.utf8))
    }

    /// Whether the given scopes grant `needed`.
    static func grants(_ scopes: [Scope], _ needed: Scope) -> Bool { scopes.contains { $0 >= needed } }
}
