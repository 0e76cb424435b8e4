import Foundation
import TPGWCore
import TPGWStore

/// One recorded poll of a source, as tests read it back (`PostgresStore.pollRuns`).
package struct PollRun: Sendable, Equatable {
    package var id: Int64
    package var source: SourceID
    package var startedAt: Date
    package var finishedAt: Date
    package var outcome: PollRunOutcome
    package var errorCode: String?
    package var errorMessage: String?
    package var packagesSeen: Int
    package var snapshotsWritten: Int
    package var packagesReleased: Int
    package var replica: String?
}
