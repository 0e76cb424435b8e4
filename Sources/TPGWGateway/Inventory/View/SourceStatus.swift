import Foundation
import TPGWCore

/// A source as the API shows it: identity, endpoint and poll health.
struct SourceStatus: Sendable, Equatable, Encodable {
    enum State: String, Sendable, Encodable { case ok, failing, stale, open, pending }

    var id: SourceID
    var endpoint: String
    var state: State
    var lastSuccessAt: Date?
    var lastAttemptAt: Date?
    var lastErrorCode: String?
    var lastErrorMessage: String?
    var consecutiveFailures: Int
    var latencyMs: Int?

    /// Derives the state: `open` once failures reach the breaker threshold, `failing` after a failed last
    /// attempt, `stale` when the last success is older than three intervals, `pending` before any attempt.
    /// A successful poll that skipped packages is `ok` (its lastError, code `skippedPackages`, says which).
    static func state(lastSuccessAt: Date?, lastAttemptAt: Date?, consecutiveFailures: Int, interval: TimeInterval,
                      breakerThreshold: Int = 5, now: Date) -> State {
        guard lastAttemptAt != nil else { return .pending }
        if consecutiveFailures >= breakerThreshold { return .open }
        if consecutiveFailures > 0 { return .failing }
        if let s = lastSuccessAt, now.timeIntervalSince(s) > 3 * interval { return .stale }
        return .ok
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id.provider, forKey: .provider)
        try c.encode(id.account, forKey: .account)
        try c.encode(id.region, forKey: .region)
        try c.encode(endpoint, forKey: .endpoint)
        try c.encode(state, forKey: .status)
        try c.encode(lastSuccessAt.map { RFC3339.format($0) }, forKey: .observedAt)
        try c.encode(lastSuccessAt.map { RFC3339.format($0) }, forKey: .lastSuccessAt)
        try c.encode(lastAttemptAt.map { RFC3339.format($0) }, forKey: .lastAttemptAt)
        if let code = lastErrorCode {
            try c.encode(["code": code, "message": lastErrorMessage ?? ""], forKey: .lastError)
        } else {
            try c.encodeNil(forKey: .lastError)
        }
        try c.encode(consecutiveFailures, forKey: .consecutiveFailures)
        try c.encode(latencyMs, forKey: .latencyMs)
    }

    enum CodingKeys: String, CodingKey {
        case provider, account, region, endpoint, status, observedAt, lastSuccessAt, lastAttemptAt, lastError, consecutiveFailures, latencyMs
    }
}
