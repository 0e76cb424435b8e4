import Foundation
import TPGWCore
import TPGWGateway

/// Tables for people from the API's JSON: human units (`41 GiB`, `in 1 h 52 min`), aligned columns. Pure (`now`
/// passed in); unknown or missing fields show as `-`, so a newer gateway never breaks an older CLI.
enum GatewayRenderer {
    static func render(_ resource: GatewayQuery.Resource, _ body: JSONValue, items: [JSONValue], now: Date, colour: Bool) -> String {
        switch resource {
        case .packages: packages(items, now: now, colour: colour)
        case .summary: summary(body, now: now, colour: colour)
        case .sources: sources(body["items"]?.arrayValue ?? body["sources"]?.arrayValue ?? [], now: now, colour: colour)
        case .alerts: alerts(items, now: now, colour: colour)
        case .purchases: purchases(items, now: now, colour: colour)
        }
    }

    static func packages(_ items: [JSONValue], now: Date, colour: Bool) -> String {
        var t = TextTable([.init(title: "KEY"), .init(title: "STATUS"), .init(title: "POLICY"), .init(title: "USED", alignment: .right),
                           .init(title: "CAPACITY", alignment: .right), .init(title: "USED%", alignment: .right), .init(title: "RUNS OUT"),
                           .init(title: "EXPIRES")])
        for p in items {
            let status = p["status"]?.stringValue ?? "-"
            let exhausts = p["forecast"]?["exhaustsAt"]?.stringValue.flatMap(RFC3339.parse)
            let expires = p["expiresAt"]?.stringValue.flatMap(RFC3339.parse)
            let soon = exhausts.map { $0.timeIntervalSince(now) < 24 * 3600 } ?? false
            t.append([
                .init(p["key"]?.stringValue ?? "-"), .init(status, colour: statusColour(status)), .init(p["policy"]?.stringValue ?? "-"),
                .init(bytes(p["usedBytes"])), .init(bytes(p["capacityBytes"])), .init(percent(p["usedRatio"])),
                .init(exhausts.map { HumanFormat.relative($0, now: now) } ?? "-", colour: soon ? "31" : nil),
                .init(expires.map { HumanFormat.relative($0, now: now) } ?? "-"),
            ])
        }
        return t.render(colour: colour) + "\n\(items.count) package(s)"
    }

    static func summary(_ body: JSONValue, now: Date, colour: Bool) -> String {
        let by = body["groupBy"]?.stringValue ?? "group"
        var t = TextTable([.init(title: by.uppercased()), .init(title: "PACKAGES", alignment: .right), .init(title: "CAPACITY", alignment: .right),
                           .init(title: "USED", alignment: .right), .init(title: "REMAINING", alignment: .right),
                           .init(title: "BURN/H", alignment: .right), .init(title: "FIRST POOL EMPTY"), .init(title: "WASTE", alignment: .right)])
        let groups = (body["groups"]?.arrayValue ?? []) + (body["total"].map { [$0] } ?? [])
        for (i, g) in groups.enumerated() {
            let isTotal = i == groups.count - 1 && body["total"] != nil
            let empty = g["poolEmptyAt"]?.stringValue.flatMap(RFC3339.parse)
            t.append([
                .init(isTotal ? "TOTAL" : g["key"]?.stringValue ?? "-"), .init(number(g["packageCount"])), .init(bytes(g["capacityBytes"])),
                .init(bytes(g["usedBytes"])), .init(bytes(g["remainingBytes"])), .init(bytes(g["burnBytesPerHour"])),
                .init(empty.map { HumanFormat.relative($0, now: now) } ?? "-", colour: empty.map { $0.timeIntervalSince(now) < 72 * 3600 ? "33" : nil } ?? nil),
                .init(bytes(g["unusedAtExpiryBytes"])),
            ])
        }
        var out = t.render(colour: colour)
        let sources = body["sources"]?.arrayValue ?? []
        let notOK = sources.filter { $0["status"]?.stringValue != "ok" }
        if !sources.isEmpty {
            out += "\n\(sources.count - notOK.count) of \(sources.count) source(s) ok"
            for s in notOK {
                out += "\n  \(sourceName(s)): \(s["status"]?.stringValue ?? "?")" + (s["lastError"]?["message"]?.stringValue.map { ": " + oneLine($0) } ?? "")
            }
        }
        return out
    }

    static func sources(_ items: [JSONValue], now: Date, colour: Bool) -> String {
        var t = TextTable([.init(title: "SOURCE"), .init(title: "STATUS"), .init(title: "LAST SUCCESS"), .init(title: "FAILURES", alignment: .right),
                           .init(title: "LATENCY", alignment: .right), .init(title: "ERROR")])
        for s in items {
            let status = s["status"]?.stringValue ?? "-"
            let success = s["lastSuccessAt"]?.stringValue.flatMap(RFC3339.parse)
            t.append([
                .init(sourceName(s)), .init(status, colour: statusColour(status)),
                .init(success.map { HumanFormat.relative($0, now: now) } ?? "never"), .init(number(s["consecutiveFailures"])),
                .init(s["latencyMs"]?.intValue.map { "\($0) ms" } ?? "-"), .init(s["lastError"]?["message"]?.stringValue.map(oneLine) ?? ""),
            ])
        }
        return t.render(colour: colour)
    }

    static func alerts(_ items: [JSONValue], now: Date, colour: Bool) -> String {
        var t = TextTable([.init(title: "ID"), .init(title: "STATE"), .init(title: "KIND"), .init(title: "SUBJECT"), .init(title: "SINCE"),
                           .init(title: "SUMMARY")])
        for a in items {
            let state = a["state"]?.stringValue ?? "-"
            let since = a["startedAt"]?.stringValue.flatMap(RFC3339.parse)
            t.append([
                .init(a["id"]?.stringValue ?? number(a["id"])), .init(state, colour: state == "firing" ? "31" : "32"),
                .init(a["kind"]?.stringValue ?? "-"), .init(a["subject"]?.stringValue ?? "-"),
                .init(since.map { HumanFormat.relative($0, now: now) } ?? "-"), .init(oneLine(a["summary"]?.stringValue ?? "")),
            ])
        }
        return t.render(colour: colour) + "\n\(items.count) alert(s)"
    }

    static func purchases(_ items: [JSONValue], now: Date, colour: Bool) -> String {
        var t = TextTable([.init(title: "ID"), .init(title: "STATE"), .init(title: "ACCOUNT"), .init(title: "REGION"), .init(title: "CAPACITY"),
                           .init(title: "MONTHS", alignment: .right), .init(title: "ASKED"), .init(title: "BY"), .init(title: "PACKAGES")])
        for p in items {
            let state = p["state"]?.stringValue ?? p["outcome"]?.stringValue ?? "-"
            let asked = p["createdAt"]?.stringValue.flatMap(RFC3339.parse)
            let request = p["request"] ?? p
            let ids = (p["packageIds"]?.arrayValue ?? []).compactMap(\.stringValue) + [p["packageId"]?.stringValue].compactMap { $0 }
            t.append([
                .init(p["id"]?.stringValue ?? number(p["id"])), .init(state, colour: statusColour(state)),
                .init(request["account"]?.stringValue ?? "-"), .init(request["region"]?.stringValue ?? "-"),
                .init(request["capacity"]?.stringValue ?? "-"), .init(number(request["reservationLength"])),
                .init(asked.map { HumanFormat.relative($0, now: now) } ?? "-"),
                .init(p["requestedBy"]?.stringValue ?? p["apiKey"]?.stringValue ?? "-"), .init(ids.isEmpty ? "-" : ids.joined(separator: ",")),
            ])
        }
        return t.render(colour: colour) + "\n\(items.count) purchase(s)"
    }

    // MARK: cells

    static func bytes(_ v: JSONValue?) -> String {
        guard let d = v?.doubleValue, d.isFinite else { return "-" }
        return HumanFormat.bytes(d)
    }

    static func number(_ v: JSONValue?) -> String {
        guard let v else { return "-" }
        if let i = v.intValue { return String(i) }
        if let d = v.doubleValue, d.isFinite { return String(d) }
        return v.stringValue ?? "-"
    }

    static func percent(_ v: JSONValue?) -> String {
        guard let d = v?.doubleValue, d.isFinite else { return "-" }
        let tenths = (min(max(d, 0), 100) * 1000).rounded() / 10
        return "\(tenths)%"
    }

    static func sourceName(_ s: JSONValue) -> String {
        [s["provider"]?.stringValue, s["account"]?.stringValue, s["region"]?.stringValue].compactMap { $0 }.joined(separator: ":")
    }

    /// Green for healthy states, red for broken ones, yellow for in-between.
    static func statusColour(_ status: String) -> String? {
        switch status {
        case "ok", "active", "succeeded", "delivered": "32"
        case "failing", "usedUp", "failed", "dead", "expired", "refunded", "deleted", "unknown": "31"
        case "stale", "open", "pending", "inProgress": "33"
        default: nil
        }
    }

    static func oneLine(_ s: String) -> String {
        let line = s.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 100 ? String(line.prefix(99)) + "…" : line
    }
}
