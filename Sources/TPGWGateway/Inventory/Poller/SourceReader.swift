import Foundation
import TPGWCore
import TPGWStore

/// Reads every package of one source upstream. The poller's only view of the provider.
package protocol SourceReader: Sendable {
    func read(_ source: SourceConfig) async -> SourceRead
    /// Whether this replica's circuit breaker for `source` is open at `now` (reads are skipped until it half-opens).
    func breakerOpen(_ source: SourceID, now: Date) -> Bool
}

extension SourceReader {
    /// A reader without a breaker.
    package func breakerOpen(_ source: SourceID, now: Date) -> Bool { false }
}

/// The outcome of reading one source: all its packages, or a user-safe error.
package struct SourceRead: Sendable {
    package var source: SourceID
    package var result: Result<[ObservedPackage], ReadError>
    /// Packages of a successful read that tpgw cannot represent: left out of `result`, reported in the source's health.
    package var skipped: [SkippedPackage]
    /// When the listing finished: the snapshot time.
    package var observedAt: Date
    /// Wall time of the whole read, all pages and retries.
    package var latency: Duration

    package init(
        source: SourceID, result: Result<[ObservedPackage], ReadError>, skipped: [SkippedPackage] = [], observedAt: Date, latency: Duration
    ) {
        self.source = source
        self.result = result
        self.skipped = skipped
        self.observedAt = observedAt
        self.latency = latency
    }
}

/// A failed read, ready for the source's health record: `code` is stable (BCE's `InternalError`,
/// or `timeout`, `connection`...), `message` is safe to show.
package struct ReadError: Error, Sendable, Equatable {
    package var code: String
    package var message: String

    /// Bounded here, for every provider: the code and message often come from an upstream body (a hostile one could
    /// send megabytes), and they are stored on the source and shown by the API and the status page.
    package init(code: String, message: String) {
        self.code = String(code.prefix(64))
        let line = message.map { $0.isNewline ? " " : $0 }
        self.message = line.count > 500 ? String(line.prefix(499)) + "…" : String(line)
    }
}
