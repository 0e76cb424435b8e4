import Foundation
import TPGWCore

/// What `applyPoll` wrote.
package struct PollWriteResult: Sendable, Equatable {
    package var source: SourceID
    package var observedAt: Date
    /// Distinct packages in the listing.
    package var packagesSeen: Int
    package var newPackages: Int
    /// Packages whose used bytes, capacity or status changed (or that came back).
    package var changedPackages: Int
    package var snapshotsWritten: Int
    /// Keys of packages that vanished upstream in this poll.
    package var released: [PackageKey]

    package init(source: SourceID, observedAt: Date, packagesSeen: Int, newPackages: Int, changedPackages: Int, snapshotsWritten: Int, released: [PackageKey]) {
        self.source = source
        self.observedAt = observedAt
        self.packagesSeen = packagesSeen
        self.newPackages = newPackages
        self.changedPackages = changedPackages
        self.snapshotsWritten = snapshotsWritten
        self.released = released
    }
}
