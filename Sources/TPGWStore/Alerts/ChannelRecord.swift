import Foundation

/// A stored alert channel. `url` and `secret` are secrets: never log or render them (the API shows a redacted URL).
package struct ChannelRecord: Sendable, Equatable, CustomStringConvertible {
    package var id: String
    package var seq: Int64
    package var name: String
    package var format: String
    package var url: String
    package var secret: String?
    package var language: String
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: String, seq: Int64 = 0, name: String, format: String, url: String, secret: String?, language: String,
        createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.seq = seq
        self.name = name
        self.format = format
        self.url = url
        self.secret = secret
        self.language = language
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Identity and format only: no URL, no secret.
    package var description: String { "ChannelRecord(id: \(id), name: \(name), format: \(format))" }
}
