import Foundation

/// Encodes and decodes `Date`s as RFC 3339 strings whatever the encoder's date strategy, so forecast and
/// alert JSON looks the same in API responses, stored rows and webhook payloads.
extension KeyedEncodingContainer {
    mutating func encodeRFC3339(_ date: Date, forKey key: Key) throws {
        try encode(RFC3339.format(date), forKey: key)
    }

    /// Writes `null` for nil so clients see every field.
    mutating func encodeRFC3339(_ date: Date?, forKey key: Key) throws {
        if let date { try encode(RFC3339.format(date), forKey: key) } else { try encodeNil(forKey: key) }
    }
}

extension KeyedDecodingContainer {
    func decodeRFC3339(forKey key: Key) throws -> Date {
        let s = try decode(String.self, forKey: key)
        guard let d = RFC3339.parse(s) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an RFC 3339 time")
        }
        return d
    }

    func decodeRFC3339IfPresent(forKey key: Key) throws -> Date? {
        guard let s = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let d = RFC3339.parse(s) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an RFC 3339 time")
        }
        return d
    }
}
