import Foundation
import TPGWCore
import TPGWStore

/// A purchase as the API shows it: who asked, what, its state, the upstream package when known, the last
/// error, and (for one purchase) its audit trail. Never the response body or the client token.
struct PurchaseDTO: Encodable, Sendable {
    var record: PurchaseRecord
    var attempts: [PurchaseAttemptRecord]?

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let p = record
        try c.encode(String(p.id), forKey: .id)
        try c.encode(p.state.rawValue, forKey: .state)
        try c.encode(p.caller, forKey: .requestedBy)
        try c.encode(p.idempotencyKey, forKey: .idempotencyKey)
        try c.encode(p.account, forKey: .account)
        try c.encode(p.region, forKey: .region)
        try c.encode(p.provider, forKey: .provider)
        try c.encode(Request(json: p.requestBody, account: p.account, region: p.region), forKey: .request)
        try c.encode(p.packageID, forKey: .packageId)
        try c.encode(p.packageID.map { PackageKey(provider: p.provider, account: p.account, region: p.region, id: $0).description }, forKey: .packageKey)
        let ids = p.packageIDs.isEmpty ? (p.packageID.map { [$0] } ?? []) : p.packageIDs
        try c.encode(ids.map { PackageKey(provider: p.provider, account: p.account, region: p.region, id: $0).description }, forKey: .packageKeys)
        try c.encode(p.attemptedAt.map { RFC3339.format($0) }, forKey: .attemptedAt)
        try c.encode(PurchaseReconciliation.parse(p.reconciliation), forKey: .reconciliation)
        try c.encode(p.errorCode.map { ErrorBody(code: $0, message: p.errorMessage ?? "", upstreamRequestId: p.upstreamRequestID) }, forKey: .error)
        try c.encode(p.checks, forKey: .checks)
        try c.encode(p.lastCheckedAt.map { RFC3339.format($0) }, forKey: .lastCheckedAt)
        try c.encode(RFC3339.format(p.createdAt), forKey: .createdAt)
        try c.encode(RFC3339.format(p.updatedAt), forKey: .updatedAt)
        if let attempts {
            try c.encode(attempts.map(Attempt.init), forKey: .attempts)
        }
    }

    /// What was ordered, from the stored normalised body.
    struct Request: Encodable {
        var account, region: String
        var reservationLength: Int?
        var capacity, policy, lineType: String?
        var count: Int
        init(json: String, account: String, region: String) {
            self.account = account
            self.region = region
            let object = (try? JSONValue.parse(Array(json.utf8)))?.objectValue ?? [:]
            reservationLength = object["reservationLength"]?.intValue
            capacity = object["capacity"]?.stringValue
            policy = object["policy"]?.stringValue
            lineType = object["lineType"]?.stringValue
            count = object["count"]?.intValue ?? 1
        }
    }

    struct ErrorBody: Encodable {
        var code, message: String
        var upstreamRequestId: String?
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(code, forKey: .code)
            try c.encode(message, forKey: .message)
            try c.encode(upstreamRequestId, forKey: .upstreamRequestId)
        }
        enum CodingKeys: String, CodingKey { case code, message, upstreamRequestId }
    }

    struct Attempt: Encodable {
        var a: PurchaseAttemptRecord
        init(_ a: PurchaseAttemptRecord) { self.a = a }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(RFC3339.format(a.at), forKey: .at)
            try c.encode(a.caller, forKey: .requestedBy)
            try c.encode(a.outcome, forKey: .outcome)
            try c.encode(a.packageID, forKey: .packageId)
            try c.encode(a.errorCode, forKey: .errorCode)
            try c.encode(a.errorMessage, forKey: .errorMessage)
            try c.encode(a.upstreamRequestID, forKey: .upstreamRequestId)
        }
        enum CodingKeys: String, CodingKey { case at, requestedBy, outcome, packageId, errorCode, errorMessage, upstreamRequestId }
    }

    enum CodingKeys: String, CodingKey {
        case id, state, requestedBy, idempotencyKey, account, region, provider, request, packageId, packageKey, packageKeys, attemptedAt,
             reconciliation, error, checks, lastCheckedAt, createdAt, updatedAt, attempts
    }
}
