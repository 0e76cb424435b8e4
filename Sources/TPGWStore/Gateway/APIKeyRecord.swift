import Foundation

/// An API key row: the hash, never the key.
package struct APIKeyRecord: Sendable, Equatable {
    package var id: Int64
    package var name: String
    package var keyHash: String
    package var scopes: [String]
    package var createdAt: Date
    package var lastUsedAt: Date?
    package var revokedAt: Date?
}
