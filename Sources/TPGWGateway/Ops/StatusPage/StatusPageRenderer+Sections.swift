import Foundation
import TPGWCore

extension StatusPageRenderer {
    /// Alerts listed in full at most; the rest are only counted (`GET /v1/alerts` lists them all).
    static let urgentAlerts = 10
    static let foldedAlerts = 200

    /// Critical before warning before info, unmuted before silenced or acknowledged, then oldest first.
    static func moreUrgent(_ a: StatusPageModel.Alert, _ b: StatusPageModel.Alert) -> Bool {
        let order: [StatusPageModel.Alert.Severity: Int] = [.critical: 0, .warning: 1, .info: 2]
        let (sa, sb) = (order[a.severity] ?? 3, order[b.severity] ?? 3)
        if sa != sb { return sa < sb }
        let (ma, mb) = (a.silenced || a.acknowledged, b.silenced || b.acknowledged)
        if ma != mb { return !ma }
        if a.since != b.since { return a.since < b.since }
        return a.subject < b.subject
    }

    /// Firing alerts: counts by budget and kind, the 10 most urgent, and the rest folded in `<details>` (no script).
    static func writeAlerts(_ model: StatusPageModel, now: Date, into html: inout HTMLBuffer) {
        html.raw("<section id=\"alerts\"><h2>Firing alerts")
        if !model.alerts.isEmpty {
            html.raw(" (")
            html.number(model.alerts.count)
            html.raw(")")
        }
        html.raw("</h2>")
        if model.alerts.isEmpty {
            html.raw("<p class=\"empty\">No alert is firing.</p></section>")
            return
        }
        let alerts = model.alerts.sorted(by: moreUrgent)
        // Counts by (budget, kind), the group with the most critical first.
        struct Group { var budget: String; var kind: String; var total = 0; var critical = 0; var silenced = 0; var acknowledged = 0 }
        var groups: [String: Group] = [:]
        for a in alerts {
            let key = a.budget + "\u{1}" + a.kind
            var g = groups[key] ?? Group(budget: a.budget, kind: a.kind)
            g.total += 1
            if a.severity == .critical { g.critical += 1 }
            if a.silenced { g.silenced += 1 }
            if a.acknowledged { g.acknowledged += 1 }
            groups[key] = g
        }
        let ordered = groups.values.sorted { ($1.critical, $1.total, $0.budget, $0.kind) < ($0.critical, $0.total, $1.budget, $1.kind) }
        html.raw("<div class=\"groups\">")
        for g in ordered.prefix(12) {
            html.raw("<span class=\"group\"><b class=\"")
            html.raw(g.critical > 0 ? "crit" : "warn")
            html.raw("\">")
            html.number(g.total)
            html.raw("</b> ")
            html.text([g.budget, g.kind].filter { !$0.isEmpty }.joined(separator: " · ").isEmpty ? "other"
                : [g.budget, g.kind].filter { !$0.isEmpty }.joined(separator: " · "))
            if g.silenced > 0 {
                html.raw(" <span class=\"muted\">")
                html.number(g.silenced)
                html.raw(" silenced</span>")
            }
            if g.acknowledged > 0 {
                html.raw(" <span class=\"muted\">")
                html.number(g.acknowledged)
                html.raw(" acked</span>")
            }
            html.raw("</span>")
        }
        if ordered.count > 12 {
            html.raw("<span class=\"group muted\">+")
            html.number(ordered.count - 12)
            html.raw(" more groups</span>")
        }
        html.raw("</div>")
        for alert in alerts.prefix(urgentAlerts) { writeAlert(alert, now: now, into: &html) }
        let rest = alerts.dropFirst(urgentAlerts)
        if !rest.isEmpty {
            html.raw("<details><summary>")
            html.number(rest.count)
            html.raw(" more firing alerts</summary>")
            for alert in rest.prefix(foldedAlerts) { writeAlert(alert, now: now, into: &html) }
            if rest.count > foldedAlerts {
                html.raw("<p class=\"empty\">")
                html.number(rest.count - foldedAlerts)
                html.raw(" more are not shown; <code>GET /v1/alerts?state=firing</code> lists them all.</p>")
            }
            html.raw("</details>")
        }
        html.raw("</section>")
    }

    static func writeAlert(_ alert: StatusPageModel.Alert, now: Date, into html: inout HTMLBuffer) {
        let tone = alert.severity == .critical ? "crit" : alert.severity == .warning ? "warn" : "info"
        html.raw(alert.silenced || alert.acknowledged ? "<div class=\"alert muted-row\"><span class=\"badge " : "<div class=\"alert\"><span class=\"badge ")
        html.raw(tone)
        html.raw("\">")
        html.text(alert.severity.rawValue)
        html.raw("</span>")
        if alert.silenced { html.raw("<span class=\"badge muted\">silenced</span>") }
        if alert.acknowledged { html.raw("<span class=\"badge muted\">acked</span>") }
        html.raw("<b>")
        html.text(alert.title)
        html.raw("</b><span>")
        if let key = PackageKey(alert.subject) {
            html.raw("<a href=\"#pkg-")
            html.text(key.description)
            html.raw("\">")
            html.text(alert.subject)
            html.raw("</a>")
        } else {
            html.text(alert.subject)
        }
        html.raw("</span><span class=\"muted\">firing for ")
        html.text(HumanFormat.duration(now.timeIntervalSince(alert.since)))
        html.raw("</span></div>")
    }

    static func writeRegions(_ model: StatusPageModel, into html: inout HTMLBuffer) {
        html.raw("<section id=\"regions\"><h2>Remaining by region</h2>")
        if model.regions.isEmpty {
            html.raw("<p class=\"empty\">No packages yet.</p></section>")
            return
        }
        html.raw("<div class=\"grid\">")
        for region in model.regions.sorted(by: { $0.name < $1.name }) {
            let ratio = region.capacityBytes > 0 ? min(1, max(0, Double(region.remainingBytes) / Double(region.capacityBytes))) : 0
            let tone = ratio < 0.1 ? "bar-crit" : ratio < 0.25 ? "bar-warn" : "bar-ok"
            html.raw("<div class=\"region\"><b>")
            html.text(region.name)
            html.raw("</b><svg viewBox=\"0 0 200 14\" width=\"100%\" height=\"14\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"")
            html.decimal(ratio * 100)
            html.raw("% remaining\"><rect class=\"bar-bg\" width=\"200\" height=\"14\" rx=\"3\"/><rect class=\"\(tone)\" width=\"")
            html.decimal(ratio * 200)
            html.raw("\" height=\"14\" rx=\"3\"/></svg><span class=\"v\">")
            html.text(HumanFormat.bytes(region.remainingBytes))
            html.raw(" / ")
            html.text(HumanFormat.bytes(region.capacityBytes))
            html.raw("</span></div>")
        }
        html.raw("</div></section>")
    }

    /// Pools shown in the overview; the rest are folded.
    static let overviewPools = 9

    static func writePools(_ model: StatusPageModel, now: Date, into html: inout HTMLBuffer) {
        html.raw("<section id=\"pools\"><h2>Pools: usage over ")
        html.text(HumanFormat.duration(Double(model.usageWindowSeconds)))
        html.raw("</h2>")
        if model.pools.isEmpty {
            html.raw("<p class=\"empty\">No pools yet.</p></section>")
            return
        }
        html.raw("<div class=\"grid wide\">")
        // Unknown pools first (never read), then the soonest empty; beyond `overviewPools` they are folded, so the
        // overview fits the first screen with any number of sources.
        let pools = model.pools.sorted {
            ($0.unknown ? 0 : 1, $0.emptyAt ?? .distantFuture, $0.account, $0.region) < ($1.unknown ? 0 : 1, $1.emptyAt ?? .distantFuture, $1.account, $1.region)
        }
        for (index, pool) in pools.enumerated() {
            if index == overviewPools {
                html.raw("</div><details><summary>")
                html.number(pools.count - overviewPools)
                html.raw(" more pools</summary><div class=\"grid wide\">")
            }
            html.raw("<div class=\"pool\"><span><b>")
            html.text(pool.account)
            html.raw("/")
            html.text(pool.region)
            html.raw("</b> ")
            if pool.unknown {
                html.raw("unknown</span><span class=\"warn\">never read</span>")
            } else {
                html.text(HumanFormat.bytes(pool.remainingBytes))
                html.raw(" left</span><span class=\"\(urgency(until: pool.emptyAt, now: now))\">")
                html.text(pool.emptyAt.map { "empty " + HumanFormat.runway($0, p10: pool.emptyAtP10, p90: pool.emptyAtP90, now: now) } ?? "not burning")
                html.raw("</span>")
            }
            writeSparkline(pool.usage, window: model.usageWindowSeconds, into: &html)
            if !pool.assumes.isEmpty {
                html.raw("<small class=\"rules\">")
                html.text(pool.assumes)
                html.raw("</small>")
            }
            html.raw("</div>")
        }
        html.raw(pools.count > overviewPools ? "</div></details></section>" : "</div></section>")
    }

    /// A 280x40 polyline of usage per bucket, scaled to its own maximum.
    static func writeSparkline(_ points: [StatusPageModel.Pool.UsagePoint], window: Int = 7 * 86_400, into html: inout HTMLBuffer) {
        html.raw("<svg viewBox=\"0 0 280 40\" width=\"100%\" height=\"40\" preserveAspectRatio=\"none\" style=\"grid-column:1/3\" role=\"img\" aria-label=\"usage over ")
        html.text(HumanFormat.duration(Double(window)))
        html.raw("\">")
        let peak = points.map(\.usedBytes).max() ?? 0
        if points.count >= 2 {
            html.raw("<polyline class=\"spark\" vector-effect=\"non-scaling-stroke\" points=\"")
            let step = 280.0 / Double(points.count - 1)
            for (index, point) in points.enumerated() {
                let y = peak > 0 ? 38 - 36 * Double(point.usedBytes) / Double(peak) : 38
                if index > 0 { html.raw(" ") }
                html.decimal(Double(index) * step)
                html.raw(",")
                html.decimal(y)
            }
            html.raw("\"/>")
        }
        html.raw("<title>peak ")
        html.text(HumanFormat.bytes(peak))
        html.raw(" per interval</title></svg>")
    }

    static func writePackages(_ model: StatusPageModel, now: Date, into html: inout HTMLBuffer) {
        html.raw("<section id=\"packages\"><h2>Packages by runway</h2>")
        if model.packages.isEmpty {
            html.raw("<p class=\"empty\">No packages.</p></section>")
            return
        }
        html.raw(
            "<div class=\"scroll\"><table><thead><tr><th>Package</th><th>Account</th><th>Region</th><th>Policy</th><th>Status</th>"
                + "<th class=\"n\">Remaining</th><th></th><th class=\"n\">Burn/h</th><th>Exhausts</th><th>Expires</th>"
                + "<th class=\"n\">Waste forecast</th></tr></thead><tbody>")
        for package in runwayOrder(model.packages) {
            let ratio = package.capacityBytes > 0 ? min(1, max(0, Double(package.remainingBytes) / Double(package.capacityBytes))) : 0
            html.raw("<tr id=\"pkg-")
            html.text(package.key.description)
            html.raw("\"><td>")
            html.text(package.key.id)
            html.raw("</td><td>")
            html.text(package.account)
            html.raw("</td><td>")
            html.text(package.region)
            html.raw("</td><td>")
            html.raw(package.policy == .offPeak ? "off-peak" : package.policy == .fullTime ? "full-time" : "unknown")
            html.raw("</td><td>")
            html.raw(package.status == .active ? "active" : "<span class=\"muted\">\(package.status.rawValue)</span>")
            html.raw("</td><td class=\"n\">")
            html.text(HumanFormat.bytes(package.remainingBytes))
            html.raw("</td><td><svg viewBox=\"0 0 60 8\" width=\"60\" height=\"8\"><rect class=\"bar-bg\" width=\"60\" height=\"8\" rx=\"2\"/><rect class=\"")
            html.raw(ratio < 0.1 ? "bar-crit" : ratio < 0.25 ? "bar-warn" : "bar-ok")
            html.raw("\" width=\"")
            html.decimal(ratio * 60)
            html.raw("\" height=\"8\" rx=\"2\"/></svg></td><td class=\"n\">")
            html.text(package.burnBytesPerHour > 0 ? HumanFormat.bytes(package.burnBytesPerHour) : "–")
            html.raw("</td><td class=\"\(urgency(until: package.exhaustsAt, now: now))\"")
            if let exhaustsAt = package.exhaustsAt {
                html.raw(" title=\"")
                html.text(HumanFormat.timestamp(exhaustsAt))
                html.raw("\">")
                html.text(HumanFormat.runway(exhaustsAt, p10: package.exhaustsAtP10, p90: package.exhaustsAtP90, now: now))
            } else {
                html.raw(">not burning")
            }
            html.raw("</td><td title=\"")
            html.text(HumanFormat.timestamp(package.expiresAt))
            html.raw("\">")
            html.text(HumanFormat.relative(package.expiresAt, now: now))
            html.raw("</td><td class=\"n")
            html.raw(package.unusedAtExpiryBytes > 0 ? " warn\">" : "\">")
            html.text(package.unusedAtExpiryBytes > 0 ? HumanFormat.bytes(package.unusedAtExpiryBytes) : "–")
            html.raw("</td></tr>")
        }
        html.raw("</tbody></table></div>")
        if model.omittedPackages > 0 {
            html.raw("<p class=\"empty\">")
            html.number(model.omittedPackages)
            html.raw(" more active packages with a longer runway are not shown; <code>GET /v1/packages?sort=exhaustsAt</code> lists them all.</p>")
        }
        html.raw("</section>")
    }

    static func writeSources(_ model: StatusPageModel, now: Date, into html: inout HTMLBuffer) {
        html.raw("<section id=\"sources\"><h2>Sources</h2>")
        if model.sources.isEmpty {
            html.raw("<p class=\"empty\">No sources configured.</p></section>")
            return
        }
        html.raw(
            "<div class=\"scroll\"><table><thead><tr><th>Account</th><th>Region</th><th>Status</th><th>Last success</th>"
                + "<th class=\"n\">Latency</th><th>Last error</th></tr></thead><tbody>")
        for source in model.sources.sorted(by: { ($0.account, $0.region) < ($1.account, $1.region) }) {
            let tone: String
            switch source.status {
            case .ok: tone = "ok"
            case .pending: tone = "muted"
            case .stale: tone = "warn"
            case .failing, .open: tone = "crit"
            }
            html.raw("<tr><td>")
            html.text(source.account)
            html.raw("</td><td>")
            html.text(source.region)
            html.raw("</td><td><span class=\"badge \(tone)\">")
            html.text(source.status.rawValue)
            html.raw("</span></td><td>")
            html.text(source.lastSuccessAt.map { HumanFormat.relative($0, now: now) } ?? "never")
            html.raw("</td><td class=\"n\">")
            html.text(source.latencyMs.map { "\($0) ms" } ?? "–")
            html.raw("</td><td>")
            html.text(source.lastError ?? "")
            html.raw("</td></tr>")
        }
        html.raw("</tbody></table></div></section>")
    }
}
