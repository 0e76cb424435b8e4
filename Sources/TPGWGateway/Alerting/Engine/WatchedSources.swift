import Foundation
import Synchronization
import TPGWCore

/// Since when this process has watched each source: `sourceStale` of a source never read counts from there.
final class WatchedSources: Sendable {
    private let first = Mutex<[SourceID: Date]>([:])

    init() {}

    /// Records `now` for sources seen for the first time; returns every source's first-seen time.
    func since(_ sources: [SourceID], now: Date) -> [SourceID: Date] {
        first.withLock { m in
            for s in sources where m[s] == nil { m[s] = now }
            return m
        }
    }
}
