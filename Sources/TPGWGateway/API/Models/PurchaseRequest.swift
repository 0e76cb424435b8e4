import Foundation
import TPGWCore
import TPGWCrypto
import TPGWStore

/// A validated buy or quote request, for any provider: the account's provider decides which capacities and
/// validities are sold, how many packages one create may buy and which line types exist.
struct PurchaseRequest: Sendable, Equatable {
    var account: String
    var region: String
    /// The account's provider (`bce`, `tencent`).
    var provider: String = "bce"
    var reservationLength: Int
    var capacity: String
    var policy: PackagePolicy
    var lineType: String
    /// Identical packages bought by one create (Baidu: 1; Tencent: 1-20).
    var count: Int = 1

    static let fields: Set<String> = ["account", "region", "reservationLength", "capacity", "policy", "lineType", "count"]

    /// What a purchase may name about one configured account.
    struct Account: Sendable, Equatable {
        var regions: [String]
        var profile: ProviderProfile
    }

    /// Validates a JSON body against the configured accounts and regions and the account's provider: its capacity
    /// / validity table, its package count and line types.
    /// - Throws: `AppError(.invalidArgument)` for a body that is not a JSON object; `AppError(.validationFailed)`
    ///   with one entry per bad field otherwise; `AppError(.notFound)` for an account or region not configured.
    static func validate(body: [UInt8], accounts: [String: Account]) throws -> PurchaseRequest {
        guard !body.isEmpty else { throw AppError(.invalidArgument, "request body is empty: expected a JSON object") }
        guard let value = try? JSONValue.parse(body) else { throw AppError(.invalidArgument, "request body is not valid JSON") }
        guard let object = value.objectValue else {
            throw AppError(.invalidArgument, "request body must be a JSON object, got \(value.typeName)")
        }
        var errors: [AppError.FieldError] = []
        func bad(_ field: String, _ message: String) { errors.append(.init(field: field, message: message)) }
        for key in object.keys.sorted() where !fields.contains(key) { bad(key, "unknown field") }

        func string(_ key: String, required: Bool) -> String? {
            switch object[key] {
            case nil:
                if required { bad(key, "required") }
                return nil
            case .null?:
                bad(key, required ? "required" : "must be a string when given (leave it out for the default)")
                return nil
            case .string(let s)?:
                if s.isEmpty { bad(key, "must not be empty") }
                return s.isEmpty ? nil : s
            case let other?:
                bad(key, "expected a string, got \(other.typeName)")
                return nil
            }
        }
        func describe(_ v: JSONValue) -> String { v.typeName == "number" ? "\(v.doubleValue!)" : v.typeName }
        let account = string("account", required: true)
        let region = string("region", required: true)
        let capacity = string("capacity", required: true)
        let policyText = string("policy", required: false)
        let lineTypeText = string("lineType", required: false)
        // The account's provider decides the table; an unknown account is checked against Baidu's (the default
        // provider) so a malformed order is still 422 before the 404.
        let configured = account.flatMap { accounts[$0] }
        let profile = configured?.profile ?? .bce

        var months: Int?
        switch object["reservationLength"] {
        case nil, .null?:
            if !profile.sizeFixesValidity { bad("reservationLength", "required") }
        case let v?:
            let valid = profile.validities.map(String.init).joined(separator: ", ")
            if let n = v.intValue, profile.capacities[n] != nil { months = n } else {
                bad("reservationLength", "must be one of \(valid) (months), got \(describe(v))")
            }
        }
        var count = 1
        switch object["count"] {
        case nil: break
        case let v?:
            if let n = v.intValue, (1...profile.maxCount).contains(n) { count = n } else {
                bad("count", profile.maxCount == 1
                    ? "\(profile.displayName) buys one package per order: count must be 1, got \(describe(v))"
                    : "must be an integer from 1 to \(profile.maxCount), got \(describe(v))")
            }
        }
        var policy = PackagePolicy.fullTime
        if let policyText {
            if let p = PackagePolicy(rawValue: policyText), PackagePolicy.purchasable.contains(p) { policy = p } else {
                bad("policy", "must be fullTime or offPeak")
            }
        }
        // Empty for a provider without line types (Tencent): left out of the stored request.
        let lineType = lineTypeText ?? profile.lineTypes.first ?? ""
        if let lineTypeText, !profile.lineTypes.contains(lineTypeText) {
            bad("lineType", profile.lineTypes.isEmpty
                ? "\(profile.displayName) has no line types: leave lineType out"
                : "must be \(profile.lineTypes.joined(separator: " or "))")
        }
        if let capacity {
            if profile.sizeFixesValidity {
                let sold = profile.validities(of: capacity)
                if sold.isEmpty {
                    bad("capacity", "\(capacity) is not sold by \(profile.displayName); valid: \(profile.allCapacities.joined(separator: ", "))")
                } else if let m = months, !sold.contains(m) {
                    bad("reservationLength", "\(capacity) is sold for \(sold.map(String.init).joined(separator: ", ")) month(s) only (the size fixes the validity)")
                } else if months == nil {
                    months = sold.first
                }
            } else if let months, !profile.isValid(months: months, capacity: capacity) {
                bad("capacity", "\(capacity) is not sold for \(months) month(s); valid: \(profile.capacities[months]!.joined(separator: ", "))")
            }
        }
        guard errors.isEmpty, let account, let region, let capacity, let months else {
            throw AppError(.validationFailed, "the request has invalid fields", fieldErrors: errors)
        }
        // A well-formed order for an account or region this gateway does not watch names nothing here: 404.
        guard let configured else {
            throw AppError(.notFound, "no account \(account.prefix(100)) is configured; configured: \(accounts.keys.sorted().joined(separator: ", "))")
        }
        guard configured.regions.contains(region) else {
            throw AppError(.notFound, "account \(account) does not watch region \(region.prefix(100)); configured: \(configured.regions.joined(separator: ", "))")
        }
        return PurchaseRequest(
            account: account, region: region, provider: profile.name, reservationLength: months, capacity: capacity, policy: policy,
            lineType: lineType, count: count)
    }

    /// A canonical form of the request, for idempotency comparison (unchanged for one package, so ledger rows
    /// from before `count` existed still compare equal).
    var canonical: String {
        "\(account)|\(region)|\(reservationLength)|\(capacity)|\(policy.rawValue)|\(lineType)" + (count == 1 ? "" : "|x\(count)")
    }

    /// The normalised request as JSON, for the ledger and audit trail.
    var json: String {
        var fields: [(String, OrderedJSON)] = [
            ("account", .string(account)), ("region", .string(region)), ("reservationLength", .integer(Int64(reservationLength))),
            ("capacity", .string(capacity)), ("policy", .string(policy.rawValue)),
        ]
        if !lineType.isEmpty { fields.append(("lineType", .string(lineType))) }
        if count != 1 { fields.append(("count", .integer(Int64(count)))) }
        return OrderedJSON.object(fields).rendered
    }

    /// Bytes of one package of this order.
    var capacityBytes: Int64 { CapacityTable.bytes(of: capacity) ?? 0 }

    /// The BCE `clientToken` for one API key's idempotency key: deterministic, ASCII, at most 64 characters.
    /// Two API keys sending the same Idempotency-Key get two tokens, so upstream buys twice for them, as it should.
    static func clientToken(apiKeyID: Int64, idempotencyKey: String) -> String {
        "tpgw-k" + String(Crypto.sha256("key:\(apiKeyID)\n\(idempotencyKey)").hexString.prefix(48))
    }

    /// A package of this order as far as the order tells (bought, not yet readable): the next poll fills in the rest.
    func provisionalPackage(id: String, provider: String, at now: Date) -> ObservedPackage {
        let end = Calendar(identifier: .gregorian).date(byAdding: .month, value: reservationLength, to: now) ?? now
        let state = PackageState(
            key: PackageKey(provider: provider, account: account, region: region, id: id), policy: policy, status: .active,
            capacityBytes: capacityBytes, usedBytes: 0, createdAt: now, activatedAt: now, expiresAt: end, observedAt: now)
        return ObservedPackage(state: state, raw: "{\"id\":\(JSONString.quote(id))}")
    }
}
