import Foundation
import TPGWCore
import TPGWStore

/// A source's health, derived once (`derive`) from its stored health row and this replica's circuit breaker, and
/// read as it is by the API (`sources` of `/v1/packages` and `/v1/summary`), the metrics (`tpgw_source_up`), the
/// status page, the pools (a source never read successfully has an `unknown` pool) and the `sourceStale` rule.
package struct SourceStatus: Sendable, Equatable, Encodable {
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

    /// Whether the source was ever read successfully: if not, what it holds is unknown (its pool is `unknown`,
    /// never "empty").
    var inventoryKnown: Bool { lastSuccessAt != nil }

    /// Up for the metrics: read successfully, and the last attempt did not fail.
    var up: Bool { inventoryKnown && consecutiveFailures == 0 }

    /// The one derivation of a configured source's status from its stored health (nil: never polled) and whether
    /// this replica's circuit breaker for it is open.
    static func derive(_ source: SourceConfig, health h: SourceHealth?, breakerOpen: Bool, now: Date) -> SourceStatus {
        SourceStatus(
            id: source.id, endpoint: source.endpoint,
            state: state(lastSuccessAt: h?.lastSuccessAt, lastAttemptAt: h?.lastAttemptAt, consecutiveFailures: h?.consecutiveFailures ?? 0,
                         interval: TimeInterval(source.pollIntervalSeconds), breakerOpen: breakerOpen, now: now),
            lastSuccessAt: h?.lastSuccessAt, lastAttemptAt: h?.lastAttemptAt, lastErrorCode: h?.lastError?.code,
            lastErrorMessage: h?.lastError?.message, consecutiveFailures: h?.consecutiveFailures ?? 0, latencyMs: h?.latencyMs)
    }

    /// The state: `pending` before any attempt, `open` while the circuit breaker is open (reads are skipped),
    /// `failing` after a failed last attempt, `stale` when the last success is older than three intervals, else `ok`.
    /// A successful poll that skipped packages is `ok` (its lastError, code `skippedPackages`, says which).
    static func state(lastSuccessAt: Date?, lastAttemptAt: Date?, consecutiveFailures: Int, interval: TimeInterval,
                      breakerOpen: Bool, now: Date) -> State {
        guard lastAttemptAt != nil else { return .pending }
        if breakerOpen { return .open }
        if consecutiveFailures > 0 { return .failing }
        if let s = lastSuccessAt, now.timeIntervalSince(s) > 3 * interval { return .stale }
        return .ok
    }

    package func encode(to encoder: any Encoder) throws {
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
