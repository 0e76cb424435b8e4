import Foundation

/// A package and an instant that matters for it (when it runs out, when it expires).
package struct PackageTime: Sendable, Equatable, Codable {
    package var key: PackageKey
    package var at: Date

    package init(key: PackageKey, at: Date) {
        self.key = key
        self.at = at
    }

    enum CodingKeys: String, CodingKey { case key, at }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(PackageKey.self, forKey: .key)
        at = try c.decodeRFC3339(forKey: .at)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encodeRFC3339(at, forKey: .at)
    }
}
