import Foundation
import TPGWCore

/// Turns alert events into the HTTP request a channel expects. Pure: `now` and the delivery id are passed in.
package enum ChannelFormatter {
    /// The request for one event.
    package static func makeRequest(event: AlertEvent, settings: ChannelSettings, deliveryID: String, now: Date) -> OutgoingRequest {
        makeRequest(events: [event], settings: settings, deliveryID: deliveryID, now: now)
    }

    /// The request for one event, or one digest of several (rate-limited channels fold what waited).
    /// - Precondition: `events` is not empty.
    package static func makeRequest(events: [AlertEvent], settings: ChannelSettings, deliveryID: String, now: Date) -> OutgoingRequest {
        precondition(!events.isEmpty, "a delivery needs at least one event")
        let message = AlertMessageBuilder.digest(events, language: settings.language, publicURL: settings.publicURL)
        switch settings.format {
        case .json: return TPGWJSONChannel.request(message, events: events, settings: settings, deliveryID: deliveryID, now: now)
        case .alertmanager: return AlertmanagerChannel.request(events: events, settings: settings, now: now)
        case .alertmanagerWebhook: return AlertmanagerWebhookChannel.request(events: events, settings: settings, now: now)
        case .slack: return SlackChannel.request(message, settings: settings)
        case .dingtalk: return DingTalkChannel.request(message, settings: settings, now: now)
        case .feishu: return FeishuChannel.request(message, settings: settings, now: now)
        case .wecom: return WeComChannel.request(message, settings: settings)
        }
    }

    static let jsonContentType = OutgoingRequest.Header("Content-Type", "application/json; charset=utf-8")
}
