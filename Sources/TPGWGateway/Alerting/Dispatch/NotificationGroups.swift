import Foundation
import TPGWStore

/// Splits one channel's claimed outbox rows into the messages of their notification groups. Pure.
///
/// A group is (budget, channel): every claimed row of a budget goes out as one message (the engine scheduled
/// them due together, per the budget's `groupWaitSeconds` and `groupIntervalSeconds`); a row without a budget
/// (written before grouping) is a message alone. A group larger than ``maxEventsPerMessage`` is cut into
/// several messages, so one payload stays a sensible size.
enum NotificationGroups {
    static let maxEventsPerMessage = 1000

    /// The rows' groups in order of their first row; each at most `limit` rows.
    static func split(_ rows: [DeliveryRecord], limit: Int = maxEventsPerMessage) -> [[DeliveryRecord]] {
        var order: [String] = []
        var byKey: [String: [DeliveryRecord]] = [:]
        for row in rows {
            let key = row.groupKey
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(row)
        }
        let size = max(1, limit)
        return order.flatMap { key -> [[DeliveryRecord]] in
            let group = byKey[key] ?? []
            return stride(from: 0, to: group.count, by: size).map { Array(group[$0..<min($0 + size, group.count)]) }
        }
    }
}
