import Foundation
import TPGWCore

/// Renders the status page (`GET /`) as one HTML document: inline CSS and SVG, no JavaScript,
/// no external assets, reloading itself every `refreshSeconds`. Pure: the same model and `now`
/// give the same bytes.
package enum StatusPageRenderer {
    /// The page as UTF-8 bytes (`Content-Type: text/html; charset=utf-8`).
    package static func render(_ model: StatusPageModel, now: Date) -> [UInt8] {
        var html = HTMLBuffer(reservingCapacity: 16_384 + model.packages.count * 900)
        html.raw("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        html.raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        if model.refreshSeconds > 0 {
            html.raw("<meta http-equiv=\"refresh\" content=\"")
            html.number(model.refreshSeconds)
            html.raw("\">")
        }
        let firing = model.alerts.count
        html.raw("<title>")
        if firing > 0 {
            html.raw("(")
            html.number(firing)
            html.raw(") ")
        }
        html.raw("tpgw: traffic packages</title><style>")
        html.raw(StatusPageStyle.css)
        html.raw("</style></head><body><main>")
        writeHeader(model, now: now, into: &html)
        // The overview (headline numbers, regions, pools) comes first and stays compact, so it is on the first
        // screen whatever the number of alerts or packages.
        writeSummary(model, now: now, into: &html)
        writeRegions(model, into: &html)
        writePools(model, now: now, into: &html)
        writeAlerts(model, now: now, into: &html)
        writePackages(model, now: now, into: &html)
        writeSources(model, now: now, into: &html)
        html.raw("</main></body></html>\n")
        return html.bytes
    }

    /// Packages in runway order: soonest exhaustion first, then those not burning by expiry.
    static func runwayOrder(_ packages: [StatusPageModel.Package]) -> [StatusPageModel.Package] {
        packages.sorted { a, b in
            switch (a.exhaustsAt, b.exhaustsAt) {
            case let (x?, y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.expiresAt != b.expiresAt ? a.expiresAt < b.expiresAt : a.key < b.key
            }
        }
    }

    /// The CSS class for a runway: under 1 day critical, under 3 days warning.
    static func urgency(until date: Date?, now: Date) -> String {
        guard let date else { return "muted" }
        let seconds = date.timeIntervalSince(now)
        if seconds < 86_400 { return "crit" }
        if seconds < 3 * 86_400 { return "warn" }
        return "ok"
    }

    private static func writeHeader(_ model: StatusPageModel, now: Date, into html: inout HTMLBuffer) {
        html.raw("<header><h1>Traffic packages</h1><span class=\"meta\">generated ")
        html.text(HumanFormat.timestamp(model.generatedAt))
        if model.refreshSeconds > 0 {
            html.raw(" · refreshes every ")
            html.text(model.refreshSeconds < 60 ? "\(model.refreshSeconds) s" : HumanFormat.duration(Double(model.refreshSeconds)))
        }
        html.raw(" · tpgw ")
        html.text(model.version)
        html.raw("</span></header>")
    }

    private static func writeSummary(_ model: StatusPageModel, now: Date, into html: inout HTMLBuffer) {
        let remaining = model.regions.reduce(Int64(0)) { $0.saturatingAdding($1.remainingBytes) }
        let capacity = model.regions.reduce(Int64(0)) { $0.saturatingAdding($1.capacityBytes) }
        let burn = model.totalBurnBytesPerHour ?? model.packages.reduce(0.0) { $0 + $1.burnBytesPerHour }
        let soonest = model.pools.compactMap(\.emptyAt).min()
        let unhealthy = model.sources.filter { $0.status != .ok && $0.status != .pending }.count
        let waste = model.totalUnusedAtExpiryBytes ?? model.packages.reduce(Int64(0)) { $0.saturatingAdding($1.unusedAtExpiryBytes) }
        html.raw("<div class=\"chips\">")
        chip("Remaining", HumanFormat.bytes(remaining), "of " + HumanFormat.bytes(capacity), nil, into: &html)
        chip("Burn rate", HumanFormat.bytes(burn) + "/h", "all active packages", nil, into: &html)
        chip(
            "First pool empty", soonest.map { HumanFormat.relative($0, now: now) } ?? "not forecast",
            soonest.map(HumanFormat.timestamp) ?? "no pool is burning", urgency(until: soonest, now: now), into: &html)
        chip("Alerts firing", String(model.alerts.count), "", model.alerts.isEmpty ? "ok" : "crit", into: &html)
        chip(
            "Sources", "\(model.sources.count - unhealthy)/\(model.sources.count) ok", unhealthy == 0 ? "all polling" : "\(unhealthy) need attention",
            unhealthy == 0 ? "ok" : "warn", into: &html)
        chip("Forecast waste", HumanFormat.bytes(waste), "expiring unused", waste > 0 ? "warn" : nil, into: &html)
        html.raw("</div>")
    }

    private static func chip(_ label: String, _ value: String, _ detail: String, _ tone: String?, into html: inout HTMLBuffer) {
        html.raw("<div class=\"chip\"><span>")
        html.text(label)
        html.raw("</span><b")
        if let tone {
            html.raw(" class=\"")
            html.raw(tone)
            html.raw("\"")
        }
        html.raw(">")
        html.text(value)
        html.raw("</b><span>")
        html.text(detail)
        html.raw("</span></div>")
    }
}
