import Foundation

/// A source claimed by a replica for one poll.
package struct SourceClaim: Sendable, Equatable {
    package var config: SourceConfig
    /// When it is due next (one interval on).
    package var nextPollAt: Date
}
