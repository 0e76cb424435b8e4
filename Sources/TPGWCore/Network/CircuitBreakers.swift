import Foundation
import Synchronization

/// One `CircuitBreaker` per source, shared by a provider client's calls: the one breaker mechanism both clouds use
/// (`BCEClient`, `TencentClient`), whose state feeds the sources' status (`open`). Callers pass `now`.
package final class CircuitBreakers: Sendable {
    package let configuration: CircuitBreaker.Configuration
    private let breakers = Mutex<[SourceID: CircuitBreaker]>([:])

    package init(configuration: CircuitBreaker.Configuration = .init()) {
        self.configuration = configuration
    }

    /// The breaker state of `source` (closed when it never failed).
    package func state(_ source: SourceID) -> CircuitBreaker.State {
        breakers.withLock { $0[source]?.state ?? .closed(consecutiveFailures: 0) }
    }

    /// Whether the breaker of `source` is open at `now` (its calls are refused until it half-opens).
    package func isOpen(_ source: SourceID, now: Date) -> Bool {
        if case .open(let until) = state(source) { return until > now }
        return false
    }

    /// Admits a call to `source` at `now`: nil when it may go out, else until when the breaker is open.
    package func admit(_ source: SourceID, now: Date) -> Date? {
        breakers.withLock { b in
            var breaker = b[source] ?? CircuitBreaker(configuration: configuration)
            defer { b[source] = breaker }
            return breaker.allowRequest(now: now) ? nil : (breaker.openUntil ?? now)
        }
    }

    /// Records the outcome of an admitted call: only failures that say the source is unavailable count.
    package func record(_ source: SourceID, unavailable: Bool, now: Date) {
        breakers.withLock { b in
            var breaker = b[source] ?? CircuitBreaker(configuration: configuration)
            if unavailable { breaker.recordFailure(now: now) } else { breaker.recordSuccess() }
            b[source] = breaker
        }
    }

    /// An admitted call that ended without an outcome (cancelled): a half-open probe lets the next call probe.
    package func abandon(_ source: SourceID, now: Date) {
        breakers.withLock { b in b[source]?.recordAbandoned(now: now) }
    }
}
