import Foundation

/// What `compact` did.
package struct CompactionResult: Sendable, Equatable {
    /// Raw snapshots folded into rollups and deleted.
    package var snapshotsCompacted: Int
    /// Rollup rows written or merged.
    package var rollupsWritten: Int
    /// Rollups older than their retention, deleted.
    package var rollupsDeleted: Int
    /// Poll-run records older than their retention, deleted.
    package var pollRunsDeleted: Int
    /// Attempts of delivered, failed or dead deliveries older than their retention, deleted.
    package var deliveryAttemptsDeleted: Int = 0
}
