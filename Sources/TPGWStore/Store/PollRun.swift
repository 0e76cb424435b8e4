import Foundation
import TPGWCore

/// One recorded poll of a source.
package struct PollRun: Sendable, Equatable {
    package enum Outcome: String, Sendable, Equatable {
        case ok, readFailed, writeFailed
    }

    package var id: Int64
    package var source: SourceID
    package var startedAt: Date
    package var finishedAt: Date
    package var outcome: Outcome
    package var errorCode: String?
    package var errorMessage: String?
    package var packagesSeen: Int
    package var snapshotsWritten: Int
    package var packagesReleased: Int
    package var replica: String?
}
