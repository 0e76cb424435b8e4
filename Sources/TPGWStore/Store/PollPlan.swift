import Foundation
import TPGWCore

/// What a successful poll changes, decided from the stored marks and the fresh listing. Pure.
///
/// A snapshot is written for a package when it is new, when its used bytes, capacity or status
/// changed, when it came back after being released, or as an hourly heartbeat (no snapshot for
/// `heartbeat` seconds). A package that was listed before and is missing now is released, with a
/// snapshot of status `released`, unless it is `kept` (listed but skipped as unrepresentable: its stored
/// row stays as it was). Storage therefore grows with consumption, not with how often we poll.
package struct PollPlan: Sendable, Equatable {
    /// What the store remembers about a package between polls.
    package struct Mark: Sendable, Equatable {
        package var usedBytes: Int64
        package var capacityBytes: Int64
        package var status: PackageStatus
        package var lastSnapshotAt: Date?
        package var released: Bool

        package init(usedBytes: Int64, capacityBytes: Int64, status: PackageStatus, lastSnapshotAt: Date?, released: Bool = false) {
            self.usedBytes = usedBytes
            self.capacityBytes = capacityBytes
            self.status = status
            self.lastSnapshotAt = lastSnapshotAt
            self.released = released
        }
    }

    /// Why a snapshot is written.
    package enum Reason: String, Sendable, Equatable {
        case new, changed, returned, heartbeat, released
    }

    package struct SnapshotRow: Sendable, Equatable {
        package var packageID: String
        package var usedBytes: Int64
        package var capacityBytes: Int64
        package var status: PackageStatus
        package var reason: Reason
    }

    /// Snapshots to append, one per package at most.
    package var snapshots: [SnapshotRow] = []
    /// Packages listed now, deduplicated by id (the last listing of an id wins), in listing order.
    package var current: [ObservedPackage] = []
    /// `last_snapshot_at` to store for each entry of `current` (observedAt when it gets a snapshot).
    package var lastSnapshotAt: [Date?] = []
    /// Ids that were listed before and are gone now.
    package var released: [String] = []
    package var newPackages = 0
    package var changedPackages = 0

    package init(
        previous: [String: Mark], listing: [ObservedPackage], kept: Set<String> = [], observedAt: Date, heartbeat: TimeInterval = 3600
    ) {
        var seen: [String: Int] = [:]
        for package in listing {
            let id = package.state.key.id
            if let index = seen[id] {
                current[index] = package
            } else {
                seen[id] = current.count
                current.append(package)
            }
        }
        lastSnapshotAt.reserveCapacity(current.count)
        for package in current {
            let s = package.state
            let reason: Reason?
            if let mark = previous[s.key.id] {
                if mark.released {
                    reason = .returned
                } else if mark.usedBytes != s.usedBytes || mark.status != s.status || mark.capacityBytes != s.capacityBytes {
                    reason = .changed
                } else if mark.lastSnapshotAt.map({ observedAt.timeIntervalSince($0) >= heartbeat }) ?? true {
                    reason = .heartbeat
                } else {
                    reason = nil
                }
                lastSnapshotAt.append(reason == nil ? mark.lastSnapshotAt : observedAt)
            } else {
                reason = .new
                lastSnapshotAt.append(observedAt)
            }
            if let reason {
                if reason == .new { newPackages += 1 }
                if reason == .changed || reason == .returned { changedPackages += 1 }
                snapshots.append(SnapshotRow(packageID: s.key.id, usedBytes: s.usedBytes, capacityBytes: s.capacityBytes, status: s.status, reason: reason))
            }
        }
        for (id, mark) in previous.sorted(by: { $0.key < $1.key }) where !mark.released && seen[id] == nil && !kept.contains(id) {
            released.append(id)
            snapshots.append(SnapshotRow(packageID: id, usedBytes: mark.usedBytes, capacityBytes: mark.capacityBytes, status: .released, reason: .released))
        }
    }
}
