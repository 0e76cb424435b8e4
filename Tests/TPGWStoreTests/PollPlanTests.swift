import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
@testable import TPGWStore

@Suite struct PollPlanTests {
    typealias Mark = PollPlan.Mark

    @Test func newPackage_getsSnapshot() {
        let plan = PollPlan(previous: [:], listing: [.make("a", used: 5)], observedAt: .t0)
        #expect(plan.snapshots.map(\.reason) == [.new])
        #expect(plan.newPackages == 1)
        #expect(plan.lastSnapshotAt == [.t0])
    }

    @Test(arguments: [
        // (previous used, status, last snapshot minutes ago, now used, status) -> reason or nil
        (5, "active", 10.0, 5, "active", nil),
        (5, "active", 10.0, 6, "active", "changed"),
        (5, "active", 10.0, 5, "usedUp", "changed"),
        (5, "active", 59.0, 5, "active", nil),
        (5, "active", 60.0, 5, "active", "heartbeat"),
        (5, "active", 61.0, 5, "active", "heartbeat"),
    ] as [(Int64, String, Double, Int64, String, String?)])
    func listedPackage_snapshotOnlyOnChangeOrHourlyHeartbeat(prevUsed: Int64, prevStatus: String, minutesAgo: Double, used: Int64, status: String, reason: String?) {
        let previous = ["a": Mark(usedBytes: prevUsed, capacityBytes: 10 << 30, status: PackageStatus(rawValue: prevStatus)!, lastSnapshotAt: Date.t0.addingTimeInterval(-minutesAgo * 60))]
        let plan = PollPlan(previous: previous, listing: [.make("a", used: used, status: PackageStatus(rawValue: status)!)], observedAt: .t0)
        #expect(plan.snapshots.first?.reason.rawValue == reason)
        #expect(plan.lastSnapshotAt == [reason == nil ? previous["a"]!.lastSnapshotAt : .t0])
    }

    @Test func vanishedPackage_isReleasedWithSnapshot_once() {
        let previous = [
            "a": Mark(usedBytes: 1, capacityBytes: 9, status: .active, lastSnapshotAt: .t0),
            "gone": Mark(usedBytes: 7, capacityBytes: 9, status: .expired, lastSnapshotAt: .t0),
            "old": Mark(usedBytes: 7, capacityBytes: 9, status: .released, lastSnapshotAt: .t0, released: true),
        ]
        let plan = PollPlan(previous: previous, listing: [.make("a", used: 1, capacity: 9)], observedAt: .t0.addingTimeInterval(60))
        #expect(plan.released == ["gone"])
        #expect(plan.snapshots == [.init(packageID: "gone", usedBytes: 7, capacityBytes: 9, status: .released, reason: .released)])
    }

    @Test func skippedPackage_isKeptAsStored_notReleased() {
        let previous = [
            "a": Mark(usedBytes: 1, capacityBytes: 9, status: .active, lastSnapshotAt: .t0),
            "skipped": Mark(usedBytes: 7, capacityBytes: 9, status: .active, lastSnapshotAt: .t0),
            "gone": Mark(usedBytes: 7, capacityBytes: 9, status: .active, lastSnapshotAt: .t0),
        ]
        let plan = PollPlan(
            previous: previous, listing: [.make("a", used: 1, capacity: 9)], kept: ["skipped"], observedAt: .t0.addingTimeInterval(60))
        #expect(plan.released == ["gone"])
        #expect(plan.snapshots.map(\.packageID) == ["gone"])
        #expect(plan.current.map(\.state.key.id) == ["a"])
    }

    @Test func releasedPackageReturning_getsSnapshot() {
        let previous = ["a": Mark(usedBytes: 1, capacityBytes: 9, status: .released, lastSnapshotAt: .t0, released: true)]
        let plan = PollPlan(previous: previous, listing: [.make("a", used: 1, capacity: 9)], observedAt: .t0.addingTimeInterval(60))
        #expect(plan.snapshots.map(\.reason) == [.returned])
        #expect(plan.released.isEmpty)
    }

    @Test func duplicateListingOfOneID_countsOnce_lastWins() {
        let plan = PollPlan(previous: [:], listing: [.make("a", used: 1), .make("b"), .make("a", used: 2)], observedAt: .t0)
        #expect(plan.current.map(\.state.key.id) == ["a", "b"])
        #expect(plan.current[0].state.usedBytes == 2)
        #expect(plan.snapshots.count == 2)
    }
}
