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

/// What the poller gets from reading one source: packages ready to store, or a user-safe error.
package typealias SourceRead = SourceReading<ObservedPackage, ReadError>

extension SourceReading where Package == ObservedPackage, Failure == ReadError {
    /// A read that could not start (no credentials, no reader for the provider): nothing was sent.
    package static func failed(_ source: SourceID, code: String, message: String) -> SourceRead {
        SourceRead(source: source, result: .failure(ReadError(code: code, message: message)), observedAt: Date(), latency: .zero)
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
