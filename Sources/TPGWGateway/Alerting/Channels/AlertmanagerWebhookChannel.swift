import Foundation
import TPGWCore

/// The Alertmanager webhook v4 JSON, for receivers written against Alertmanager (one group per delivery).
package enum AlertmanagerWebhookChannel {
    static func request(events: [AlertEvent], settings: ChannelSettings, now: Date) -> OutgoingRequest {
        let allResolved = events.allSatisfy { $0.kind == .resolved }
        let perAlert = events.map { e in
            (e, AlertmanagerChannel.labels(e.alert), AlertmanagerChannel.annotations(e, settings))
        }
        let alerts: [OrderedJSON] = perAlert.map { e, labels, annotations in
            .object([
                ("status", .string(e.kind == .resolved ? "resolved" : "firing")),
                ("labels", object(labels)),
                ("annotations", object(annotations)),
                ("startsAt", .string(RFC3339.format(e.alert.startedAt))),
                // Alertmanager's zero time marks a firing alert.
                ("endsAt", .string(e.kind == .resolved ? RFC3339.format(e.alert.resolvedAt ?? now) : "0001-01-01T00:00:00Z")),
                ("generatorURL", .string(AlertMessageBuilder.link(e.alert.subject, settings.publicURL) ?? "")),
                ("fingerprint", .string(e.alert.fingerprint.value)),
            ])
        }
        let budgets = Set(events.map(\.alert.budgetName))
        let groupLabels: [(String, String)] = budgets.count == 1 ? [("budget", budgets.first ?? "")] : []
        let body = OrderedJSON.object([
            ("version", .string("4")),
            ("groupKey", .string("{}:{" + groupLabels.map { "\($0.0)=\(JSONString.quote($0.1))" }.joined(separator: ",") + "}")),
            ("truncatedAlerts", .integer(0)),
            ("status", .string(allResolved ? "resolved" : "firing")),
            ("receiver", .string("tpgw")),
            ("groupLabels", object(groupLabels)),
            ("commonLabels", object(common(perAlert.map(\.1)))),
            ("commonAnnotations", object(common(perAlert.map(\.2)))),
            ("externalURL", .string(settings.publicURL ?? "")),
            ("alerts", .array(alerts)),
        ])
        return OutgoingRequest(url: settings.url, headers: [ChannelFormatter.jsonContentType], body: body.bytes)
    }

    static func object(_ pairs: [(String, String)]) -> OrderedJSON {
        .object(pairs.map { ($0.0, .string($0.1)) })
    }

    /// The pairs every alert shares, in the first alert's order.
    static func common(_ sets: [[(String, String)]]) -> [(String, String)] {
        guard let first = sets.first else { return [] }
        return first.filter { pair in sets.allSatisfy { $0.contains { $0 == pair } } }
    }
}
