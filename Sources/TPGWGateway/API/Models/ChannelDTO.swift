import Foundation
import TPGWCore
import TPGWHTTPClient
import TPGWStore

/// A channel as the API shows it: the URL redacted (scheme, host, path), the secret only as `hasSecret`.
struct ChannelDTO: Encodable, Sendable {
    var record: ChannelRecord

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(record.id, forKey: .id)
        try c.encode(record.name, forKey: .name)
        try c.encode(record.format, forKey: .format)
        try c.encode(RedactedURL.redact(record.url), forKey: .url)
        try c.encode(record.secret?.isEmpty == false, forKey: .hasSecret)
        try c.encode(record.language, forKey: .language)
        try c.encode(RFC3339.format(record.createdAt), forKey: .createdAt)
        try c.encode(RFC3339.format(record.updatedAt), forKey: .updatedAt)
    }

    enum CodingKeys: String, CodingKey { case id, name, format, url, hasSecret, language, createdAt, updatedAt }
}
