import Foundation
import TPGWCore

/// Posts alerts to an Alertmanager's `/api/v2/alerts`, so its routing, silences and receivers apply.
///
/// Alertmanager resolves an alert by itself once `endsAt` passes, so a firing alert is sent with
/// `endsAt = now + alertmanagerValidity` (longer than the repeat interval, which re-sends it); a resolved one
/// with its resolve time; a one-shot status change with one hour.
package enum AlertmanagerChannel {
    static func request(events: [AlertEvent], settings: ChannelSettings, now: Date) -> OutgoingRequest {
        var alerts: [OrderedJSON] = []
        for e in events {
            let a = e.alert
            let current = severity(a)
            let endsAt: Date =
                e.kind == .resolved ? (a.resolvedAt ?? now)
                : a.kind == .statusChange ? e.at.addingTimeInterval(3600) : now.addingTimeInterval(settings.alertmanagerValidity)
            // Severity is a label, so Alertmanager sees an escalated (or de-escalated) alert as a new one. Every
            // message therefore also ends the other severity; Alertmanager never notifies a resolve of an alert it
            // did not notify as firing, so ending one that never fired is harmless.
            for sev in ["warning", "critical"] {
                let ends = sev == current ? endsAt : min(endsAt, now)
                if sev != current && e.kind != .resolved && a.kind == .statusChange { continue }
                alerts.append(alert(e, severity: sev, endsAt: ends, settings: settings))
            }
        }
        return OutgoingRequest(url: endpoint(settings.url), headers: [ChannelFormatter.jsonContentType], body: OrderedJSON.array(alerts).bytes)
    }

    private static func alert(_ e: AlertEvent, severity: String, endsAt: Date, settings: ChannelSettings) -> OrderedJSON {
        let a = e.alert
        var fields: [(String, OrderedJSON)] = [
            ("labels", .object(labels(a, severity: severity).map { ($0.0, .string($0.1)) })),
            ("annotations", .object(annotations(e, settings).map { ($0.0, .string($0.1)) })),
            ("startsAt", .string(RFC3339.format(a.startedAt))),
            ("endsAt", .string(RFC3339.format(endsAt))),
        ]
        if let link = AlertMessageBuilder.link(a.subject, settings.publicURL) { fields.append(("generatorURL", .string(link))) }
        return .object(fields)
    }

    /// `warning` or `critical` (higher thresholds, runway and coverage rules), whatever the event.
    static func severity(_ a: AlertState) -> String {
        AlertMessageBuilder.tone(AlertEvent(kind: .firing, alert: a, at: a.updatedAt)).rawValue
    }

    /// The base URL with `/api/v2/alerts` appended unless already there.
    static func endpoint(_ url: String) -> String {
        let base = AlertMessageBuilder.trimSlash(url)
        return base.hasSuffix("/api/v2/alerts") ? base : base + "/api/v2/alerts"
    }

    /// alertname, severity, budget, subject, account, region and (for packages) package.
    static func labels(_ a: AlertState, severity: String? = nil) -> [(String, String)] {
        let name = a.kind.rawValue.prefix(1).uppercased() + a.kind.rawValue.dropFirst()
        let severity = severity ?? Self.severity(a)
        var out: [(String, String)] = [
            ("alertname", "TPGW\(name)"), ("severity", severity), ("budget", a.budgetName), ("subject", a.subject.description),
            ("account", a.subject.source.account), ("region", a.subject.source.region),
        ]
        if let key = a.subject.packageKey { out.append(("package", key.description)) }
        return out
    }

    /// summary (one line) and description (the message), in the channel's language.
    static func annotations(_ e: AlertEvent, _ settings: ChannelSettings) -> [(String, String)] {
        let zh = settings.language == .zh
        let summary = AlertMessageBuilder.sentence(e.alert, zh: zh)
        let message = AlertMessageBuilder.make(e, language: settings.language, publicURL: settings.publicURL)
        return [("summary", summary), ("description", ([message.title] + message.lines).joined(separator: "\n"))]
    }
}
