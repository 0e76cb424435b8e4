import Foundation
import TPGWCore

/// A source row with its poll health, as the API and status page show it.
package struct SourceHealthRecord: Sendable, Equatable {
    package var id: SourceID
    package var endpoint: String
    package var pollIntervalSeconds: Int
    package var lastAttemptAt: Date?
    package var lastSuccessAt: Date?
    package var lastErrorCode: String?
    package var lastErrorMessage: String?
    package var consecutiveFailures: Int
    package var lastLatencyMs: Int?
}
