import Foundation
import TPGWCore

/// An ``AlertEvent`` as the outbox stores it (`deliveries.payload` is a JSON array of these).
struct StoredAlertEvent: Codable, Sendable {
    var kind: AlertEvent.Kind
    var alert: AlertState
    var previousLevel: Int?
    var at: String

    init(_ event: AlertEvent) {
        kind = event.kind
        alert = event.alert
        previousLevel = event.previousLevel
        at = RFC3339.format(event.at)
    }

    var event: AlertEvent {
        AlertEvent(kind: kind, alert: alert, previousLevel: previousLevel, at: RFC3339.parse(at) ?? alert.updatedAt)
    }

    /// The outbox payload for events.
    static func encode(_ events: [AlertEvent]) -> String {
        String(decoding: APIJSON.encode(events.map(StoredAlertEvent.init)), as: UTF8.self)
    }

    /// Events of an outbox payload; nil when it is not one.
    static func decode(_ payload: String) -> [AlertEvent]? {
        (try? JSONDecoder().decode([StoredAlertEvent].self, from: Data(payload.utf8)))?.map(\.event)
    }
}
