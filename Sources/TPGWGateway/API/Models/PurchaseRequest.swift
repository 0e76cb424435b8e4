import TPGWCore
import TPGWCrypto

/// A validated buy or quote request.
struct PurchaseRequest: Sendable, Equatable {
    var account: String
    var region: String
    var reservationLength: Int
    var capacity: String
    var policy: PackagePolicy
    var lineType: String

    static let fields: Set<String> = ["account", "region", "reservationLength", "capacity", "policy", "lineType"]

    /// Validates a JSON body against the capacity / validity table and the configured accounts and regions.
    /// - Throws: `AppError(.invalidArgument)` for a body that is not a JSON object; `AppError(.validationFailed)`
    ///   with one entry per bad field otherwise.
    /// - Parameter readOnlyAccounts: accounts that are watched but cannot buy through tpgw yet, with their provider.
    static func validate(body: [UInt8], accounts: [String: [String]], readOnlyAccounts: [String: String] = [:]) throws -> PurchaseRequest {
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
        let account = string("account", required: true)
        let region = string("region", required: true)
        let capacity = string("capacity", required: true)
        let policyText = string("policy", required: false)
        let lineType = string("lineType", required: false) ?? "WebOutBytes"

        var months: Int?
        switch object["reservationLength"] {
        case nil, .null?: bad("reservationLength", "required")
        case let v?:
            if let n = v.intValue, CapacityTable.validCapacities[n] != nil { months = n } else {
                bad("reservationLength", "must be 1, 6 or 12 (months), got \(v.typeName == "number" ? "\(v.doubleValue!)" : v.typeName)")
            }
        }
        var policy = PackagePolicy.fullTime
        if let policyText {
            if let p = PackagePolicy(rawValue: policyText), PackagePolicy.purchasable.contains(p) { policy = p } else {
                bad("policy", "must be fullTime or offPeak")
            }
        }
        if lineType != "WebOutBytes" { bad("lineType", "must be WebOutBytes") }
        if let capacity, let months, !CapacityTable.isValid(months: months, capacity: capacity) {
            bad("capacity", "\(capacity) is not sold for \(months) month(s); valid: \(CapacityTable.validCapacities[months]!.joined(separator: ", "))")
        }
        guard errors.isEmpty, let account, let region, let capacity, let months else {
            throw AppError(.validationFailed, "the request has invalid fields", fieldErrors: errors)
        }
        if let provider = readOnlyAccounts[account] {
            throw AppError(.validationFailed, "the request has invalid fields", fieldErrors: [
                .init(field: "account", message: "account \(account) is a \(provider) account: tpgw reads it but cannot buy through it yet"),
            ])
        }
        // A well-formed order for an account or region this gateway does not watch names nothing here: 404.
        guard let regions = accounts[account] else {
            throw AppError(.notFound, "no account \(account.prefix(100)) is configured; configured: \(accounts.keys.sorted().joined(separator: ", "))")
        }
        guard regions.contains(region) else {
            throw AppError(.notFound, "account \(account) does not watch region \(region.prefix(100)); configured: \(regions.joined(separator: ", "))")
        }
        return PurchaseRequest(account: account, region: region, reservationLength: months, capacity: capacity, policy: policy, lineType: lineType)
    }

    /// A canonical form of the request, for idempotency comparison.
    var canonical: String { "\(account)|\(region)|\(reservationLength)|\(capacity)|\(policy.rawValue)|\(lineType)" }

    /// The BCE `clientToken` for one API key's idempotency key: deterministic, ASCII, at most 64 characters.
    /// Two API keys sending the same Idempotency-Key get two tokens, so upstream buys twice for them, as it should.
    static func clientToken(apiKeyID: Int64, idempotencyKey: String) -> String {
        "tpgw-k" + String(Crypto.sha256("key:\(apiKeyID)\n\(idempotencyKey)").hexString.prefix(48))
    }
}
