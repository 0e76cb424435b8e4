import Foundation
import TPGWCore

/// A source with its poll health, as `GET /v1/sources` and `/metrics` show it.
package struct SourceHealth: Sendable, Equatable {
    /// The last error of a failed poll: a stable code and a user-safe message.
    package struct LastError: Sendable, Equatable {
        package var code: String
        package var message: String
        package var at: Date?

        package init(code: String, message: String, at: Date? = nil) {
            self.code = code
            self.message = message
            self.at = at
        }
    }

    package var id: SourceID
    package var endpoint: String
    package var pollIntervalSeconds: Int
    package var enabled: Bool
    package var lastAttemptAt: Date?
    package var lastSuccessAt: Date?
    /// Set while the last poll failed, or succeeded but skipped packages (code `skippedPackages`); cleared by a
    /// poll that succeeds in full.
    package var lastError: LastError?
    package var consecutiveFailures: Int
    package var latencyMs: Int?
    package var nextPollAt: Date?
    /// The replica currently polling it, if any.
    package var leaseOwner: String?

    package init(
        id: SourceID, endpoint: String, pollIntervalSeconds: Int = 300, enabled: Bool = true, lastAttemptAt: Date? = nil,
        lastSuccessAt: Date? = nil, lastError: LastError? = nil, consecutiveFailures: Int = 0, latencyMs: Int? = nil,
        nextPollAt: Date? = nil, leaseOwner: String? = nil
    ) {
        self.id = id
        self.endpoint = endpoint
        self.pollIntervalSeconds = pollIntervalSeconds
        self.enabled = enabled
        self.lastAttemptAt = lastAttemptAt
        self.lastSuccessAt = lastSuccessAt
        self.lastError = lastError
        self.consecutiveFailures = consecutiveFailures
        self.latencyMs = latencyMs
        self.nextPollAt = nextPollAt
        self.leaseOwner = leaseOwner
    }
}
