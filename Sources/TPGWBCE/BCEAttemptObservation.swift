import TPGWCore

/// One HTTP exchange with BCE (one attempt of a call; each retry is its own), as handed to the observer
/// installed with `BCEClient.observe(_:)`: what upstream request metrics are made of.
package struct BCEAttemptObservation: Sendable, Equatable {
    /// How the exchange ended, as the `outcome` label of the upstream metrics.
    package enum Outcome: String, Sendable, Equatable {
        /// A 2xx answer.
        case ok
        /// A 4xx answer other than 429.
        case clientError
        /// A 5xx answer.
        case serverError
        /// 429: the API asked us to slow down.
        case throttled
        /// No HTTP answer: timeout, connection failure, request not sendable.
        case transportError
    }

    package var source: SourceID
    /// `list`, `get`, `create`, `price`.
    package var operation: String
    package var outcome: Outcome
    package var duration: Duration

    package init(source: SourceID, operation: String, outcome: Outcome, duration: Duration) {
        self.source = source
        self.operation = operation
        self.outcome = outcome
        self.duration = duration
    }

    /// The outcome for an HTTP status.
    package static func outcome(status: Int) -> Outcome {
        switch status {
        case 200..<300: .ok
        case 429: .throttled
        case 500...: .serverError
        default: .clientError
        }
    }
}
