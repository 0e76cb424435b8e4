import Foundation

/// A per-source circuit breaker. Pure state machine: callers pass `now`.
///
/// closed --(N consecutive failures)--> open(until now + coolDown)
/// open --(now >= until, next request)--> halfOpen (that one request is the probe; others are refused)
/// halfOpen --success--> closed;  halfOpen --failure--> open(until now + coolDown)
package struct CircuitBreaker: Sendable, Equatable {
    package struct Configuration: Sendable, Equatable {
        /// Consecutive failures that open the breaker. Default 5.
        package var failureThreshold: Int
        /// How long an open breaker refuses requests. Default 60 s.
        package var coolDown: TimeInterval

        package init(failureThreshold: Int = 5, coolDown: TimeInterval = 60) {
            self.failureThreshold = failureThreshold
            self.coolDown = coolDown
        }
    }

    package enum State: Sendable, Equatable {
        case closed(consecutiveFailures: Int)
        case open(until: Date)
        case halfOpen
    }

    package var configuration: Configuration
    package private(set) var state: State = .closed(consecutiveFailures: 0)

    package init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Whether a request may go out now. Moving from open to half-open admits exactly one probe.
    package mutating func allowRequest(now: Date) -> Bool {
        switch state {
        case .closed: return true
        case .open(let until):
            guard now >= until else { return false }
            state = .halfOpen
            return true
        case .halfOpen: return false
        }
    }

    package mutating func recordSuccess() {
        state = .closed(consecutiveFailures: 0)
    }

    package mutating func recordFailure(now: Date) {
        switch state {
        case .closed(let n):
            state = n + 1 >= configuration.failureThreshold ? .open(until: now.addingTimeInterval(configuration.coolDown)) : .closed(consecutiveFailures: n + 1)
        case .halfOpen, .open:
            state = .open(until: now.addingTimeInterval(configuration.coolDown))
        }
    }

    /// When an open breaker admits its probe; nil unless open.
    package var openUntil: Date? {
        if case .open(let until) = state { return until }
        return nil
    }
}

extension CircuitBreaker {
    /// A probe that ended without an outcome (cancelled): let the next request probe.
    package mutating func recordAbandoned(now: Date) {
        if state == .halfOpen { state = .open(until: now) }
    }
}
