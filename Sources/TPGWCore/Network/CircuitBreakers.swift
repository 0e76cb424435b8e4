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

    /// Admits a call to `source`: nil when it may go out, else until when the breaker is open. `now` is read only
    /// when the breaker is open (a closed breaker needs no time, so a caller's clock is not read for nothing).
    package func admit(_ source: SourceID, now: @autoclosure () -> Date) -> Date? {
        breakers.withLock { b in
            var breaker = b[source] ?? CircuitBreaker(configuration: configuration)
            if case .closed = breaker.state { return nil }
            let t = now()
            defer { b[source] = breaker }
            return breaker.allowRequest(now: t) ? nil : (breaker.openUntil ?? t)
        }
    }

    /// Records the outcome of an admitted call: only failures that say the source is unavailable count (and read
    /// `now`).
    package func record(_ source: SourceID, unavailable: Bool, now: @autoclosure () -> Date) {
        breakers.withLock { b in
            var breaker = b[source] ?? CircuitBreaker(configuration: configuration)
            if unavailable { breaker.recordFailure(now: now()) } else { breaker.recordSuccess() }
            b[source] = breaker
        }
    }

    /// An admitted call that ended without an outcome (cancelled): a half-open probe lets the next call probe.
    package func abandon(_ source: SourceID, now: @autoclosure () -> Date) {
        breakers.withLock { b in
            guard b[source]?.state == .halfOpen else { return }
            b[source]?.recordAbandoned(now: now())
        }
    }
}
