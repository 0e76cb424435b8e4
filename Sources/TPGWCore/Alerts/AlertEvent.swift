import Foundation

/// A notification the lifecycle asks for; the dispatcher turns it into one delivery per channel.
package struct AlertEvent: Sendable, Equatable {
    package enum Kind: String, Sendable, Codable {
        case firing
        case escalated
        case `repeat`
        case resolved
    }

    package var kind: Kind
    /// The alert as it is after this event (for a one-shot alert: as it fired).
    package var alert: AlertState
    /// For `escalated`: the level before.
    package var previousLevel: Int?
    package var at: Date

    package init(kind: Kind, alert: AlertState, previousLevel: Int? = nil, at: Date) {
        self.kind = kind
        self.alert = alert
        self.previousLevel = previousLevel
        self.at = at
    }

    /// Stable per event, usable as a delivery idempotency key: fingerprint, kind, level and time.
    package var id: String {
        "\(alert.fingerprint)-\(kind.rawValue)-\(alert.level)-\(Int64(at.timeIntervalSince1970))"
    }
}
