import Foundation
import TPGWCore
import TPGWStore

/// What deleting a budget says: each of its firing alerts is resolved, once, to each channel the alert's budget
/// named. Pure: the stored alerts and `now` are passed in; the rows (one per alert and channel) share a group, so
/// each channel gets one message.
enum BudgetDeletion {
    static func notices(budget: BudgetRecord, firing: [AlertRecord], now: Date) -> [AlertWriteBatch.Delivery] {
        let decoder = JSONDecoder()
        let channels = (try? decoder.decode(Budget.self, from: Data(budget.body.utf8)))?.channels ?? []
        var out: [AlertWriteBatch.Delivery] = []
        for record in firing {
            guard var alert = try? decoder.decode(AlertState.self, from: Data(record.body.utf8)), alert.status == .firing else { continue }
            alert.status = .resolved
            alert.resolvedAt = now
            alert.updatedAt = now
            alert.lastNotifiedAt = now
            alert.notifications += 1
            alert.summary = "budget deleted: " + alert.summary
            let payload = StoredAlertEvent.encode([AlertEvent(kind: .resolved, alert: alert, at: now)])
            for channel in channels {
                out.append(.init(
                    id: AlertEngine.newDeliveryID(), fingerprint: alert.fingerprint.value, channelID: channel, eventKind: "resolved",
                    payload: payload, createdAt: now, budgetID: alert.budgetID))
            }
        }
        return out
    }
}
