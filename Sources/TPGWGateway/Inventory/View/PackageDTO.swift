import Foundation
import TPGWCore

/// A package as the API shows it (product.md "The package as the API shows it").
struct PackageDTO: Encodable {
    var state: PackageState
    var forecast: PackageForecast

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let p = state
        try c.encode(p.key.description, forKey: .key)
        try c.encode(p.key.provider, forKey: .provider)
        try c.encode(p.key.account, forKey: .account)
        try c.encode(p.key.region, forKey: .region)
        try c.encode(p.key.id, forKey: .id)
        try c.encode(p.policy.rawValue, forKey: .policy)
        try c.encode(p.lineType, forKey: .lineType)
        try c.encode(p.status.rawValue, forKey: .status)
        try c.encode(p.capacityBytes, forKey: .capacityBytes)
        try c.encode(p.usedBytes, forKey: .usedBytes)
        try c.encode(p.remainingBytes, forKey: .remainingBytes)
        try c.encode((p.usedRatio * 10000).rounded() / 10000, forKey: .usedRatio)
        try c.encode(RFC3339.format(p.createdAt), forKey: .createdAt)
        try c.encode(p.activatedAt.map { RFC3339.format($0) }, forKey: .activatedAt)
        try c.encode(RFC3339.format(p.expiresAt), forKey: .expiresAt)
        try c.encode(RFC3339.format(p.observedAt), forKey: .observedAt)
        try c.encode(forecast, forKey: .forecast)
    }

    enum CodingKeys: String, CodingKey {
        case key, provider, account, region, id, policy, lineType, status, capacityBytes, usedBytes, remainingBytes, usedRatio
        case createdAt, activatedAt, expiresAt, observedAt, forecast
    }
}

/// Shared JSON encoder settings for API bodies.
enum APIJSON {
    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        // Encoding our own DTOs cannot fail: they hold only strings, numbers, optionals and arrays.
        return Array((try? encoder.encode(value)) ?? Data("{}".utf8))
    }
}
