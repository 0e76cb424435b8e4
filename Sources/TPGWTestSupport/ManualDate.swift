import Foundation

/// A wall-clock `Date` tests move by hand (for code that takes `now: () -> Date`; loops take `ManualClock`).
package final class ManualDate: Sendable {
    private let value: LockedValue<Date>
    package init(_ start: Date = Date()) { value = LockedValue(start) }
    package var now: Date { value.value }
    package func advance(_ seconds: TimeInterval) { value.withLock { $0 = $0.addingTimeInterval(seconds) } }
    package func set(_ date: Date) { value.withLock { $0 = date } }
}
