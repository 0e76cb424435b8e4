import Foundation

/// What the alert rules need to know about one source's polling.
package struct AlertSourceHealth: Sendable, Equatable {
    package var source: SourceID
    /// Last successful read; nil when never read.
    package var lastSuccessAt: Date?
    /// Since when the source is watched (first poll attempt or configuration time); staleness of a source
    /// never read counts from here.
    package var watchedSince: Date

    package init(source: SourceID, lastSuccessAt: Date?, watchedSince: Date) {
        self.source = source
        self.lastSuccessAt = lastSuccessAt
        self.watchedSince = watchedSince
    }
}
