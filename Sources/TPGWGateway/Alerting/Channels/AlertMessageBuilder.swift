import Foundation
import TPGWCore

/// Writes ``AlertMessage``s in Chinese or English from an event's structured fields. Pure.
package enum AlertMessageBuilder {
    /// The message for one event.
    package static func make(_ event: AlertEvent, language: ChannelSettings.Language, publicURL: String?) -> AlertMessage {
        let a = event.alert
        let zh = language == .zh
        let title = "[\(eventWord(event.kind, zh: zh))] \(ruleTitle(a.kind, zh: zh))"
        var lines = [sentence(a, zh: zh)]
        if event.kind == .resolved { lines.insert(zh ? "已恢复正常。最近状态：" : "Back to normal. Last seen:", at: 0) }
        if event.kind == .escalated, let before = event.previousLevel {
            lines.append(zh ? "级别 \(before + 1) → \(a.level + 1)" : "Level \(before + 1) → \(a.level + 1)")
        }
        lines.append((zh ? "预算：" : "Budget: ") + a.budgetName)
        if event.kind != .firing || a.notifications > 1 {
            lines.append((zh ? "开始于：" : "Since: ") + time(a.startedAt, zh: zh))
        }
        return AlertMessage(title: title, lines: lines, link: link(a.subject, publicURL), tone: tone(event))
    }

    /// One message folding several waiting events (rate-limited channels).
    package static func digest(_ events: [AlertEvent], language: ChannelSettings.Language, publicURL: String?) -> AlertMessage {
        if events.count == 1 { return make(events[0], language: language, publicURL: publicURL) }
        let zh = language == .zh
        let firing = events.filter { $0.kind != .resolved }.count
        let title = zh
            ? "[汇总] \(events.count) 条告警更新（\(firing) 条告警，\(events.count - firing) 条恢复）"
            : "[Digest] \(events.count) alert updates (\(firing) firing, \(events.count - firing) resolved)"
        let lines = events.map { "\(eventWord($0.kind, zh: zh)): \(sentence($0.alert, zh: zh))" }
        let overall: AlertMessage.Tone = events.contains { tone($0) == .critical } ? .critical : firing > 0 ? .warning : .resolved
        return AlertMessage(title: title, lines: lines, link: publicURL.map { trimSlash($0) + "/" }, tone: overall)
    }

    /// Warning or critical; anything resolved is `resolved`.
    package static func tone(_ event: AlertEvent) -> AlertMessage.Tone {
        if event.kind == .resolved { return .resolved }
        switch event.alert.kind {
        case .coverageGap, .exhaustion: return .critical
        default: return event.alert.level >= 1 ? .critical : .warning
        }
    }

    /// `{publicURL}/#pkg-{key}` for packages, the status page otherwise; nil without a public URL.
    package static func link(_ subject: AlertSubject, _ publicURL: String?) -> String? {
        guard let publicURL, !publicURL.isEmpty else { return nil }
        if let key = subject.packageKey { return trimSlash(publicURL) + "/#pkg-" + key.description }
        return trimSlash(publicURL) + "/"
    }

    static func eventWord(_ kind: AlertEvent.Kind, zh: Bool) -> String {
        switch kind {
        case .firing: zh ? "告警" : "Firing"
        case .escalated: zh ? "升级" : "Escalated"
        case .repeat: zh ? "持续告警" : "Still firing"
        case .resolved: zh ? "已恢复" : "Resolved"
        }
    }

    static func ruleTitle(_ kind: AlertRule.Kind, zh: Bool) -> String {
        switch kind {
        case .usedRatio: zh ? "流量包用量过高" : "Package usage high"
        case .remainingBytes: zh ? "剩余流量不足" : "Little traffic left"
        case .exhaustion: zh ? "流量即将耗尽" : "Traffic runs out soon"
        case .exhaustsBeforeExpiry: zh ? "到期前将耗尽" : "Runs out before expiry"
        case .expiryWaste: zh ? "流量到期将作废" : "Traffic will expire unused"
        case .coverageGap: zh ? "流量包池断档，将按量计费" : "Pool gap: pay-as-you-go billing"
        case .statusChange: zh ? "流量包状态变化" : "Package status changed"
        case .sourceStale: zh ? "数据源读取失败" : "Source not read"
        }
    }

    /// The condition in words. English reuses the evaluator's summary; Chinese is written from the facts.
    static func sentence(_ a: AlertState, zh: Bool) -> String {
        guard zh else { return a.summary }
        let f = a.facts
        let who = subjectName(a.subject)
        switch a.kind {
        case .usedRatio:
            return "\(who) 已使用 \(AlertText.percent(a.value))（阈值 \(AlertText.percent(a.threshold))）"
        case .remainingBytes:
            return "\(who) 剩余 \(AlertText.bytes(Int64(a.value)))（告警线 \(AlertText.bytes(Int64(a.threshold)))）"
        case .exhaustion:
            return "\(who) 预计 \(AlertText.duration(hours: a.value, zh: true)) 后耗尽（\(f.at.map { time($0, zh: true) } ?? "-")）"
        case .exhaustsBeforeExpiry:
            return "\(who) 预计 \(f.at.map { time($0, zh: true) } ?? "-") 耗尽，早于到期时间 \(f.expiresAt.map { time($0, zh: true) } ?? "-")"
        case .expiryWaste:
            let unused = f.unusedBytes ?? 0
            let share = (f.capacityBytes ?? 0) > 0 ? " (\(AlertText.percent(Double(unused) / Double(f.capacityBytes ?? 1))))" : ""
            return "\(who) 将于 \(f.expiresAt.map { time($0, zh: true) } ?? "-") 到期，预计 \(AlertText.bytes(unused))\(share) 未用完将作废"
        case .coverageGap:
            if (f.activePackages ?? 0) == 0 { return "\(who) 已无可用流量包，流量按量计费" }
            return "\(who) 预计 \(AlertText.duration(hours: a.value, zh: true)) 后用尽（\(f.at.map { time($0, zh: true) } ?? "-")），之后按量计费"
        case .statusChange:
            return "\(who) 状态变为\(statusName(f.status))（原为\(statusName(f.previousStatus))）"
        case .sourceStale:
            let d = AlertText.duration(hours: a.value / 60, zh: true)
            return f.at == nil ? "\(who) 从未成功读取（\(d)）" : "\(who) 已 \(d) 未成功读取"
        }
    }

    static func subjectName(_ s: AlertSubject) -> String {
        switch s {
        case .package(let key): "流量包 \(key)"
        case .pool(let source): "流量包池 \(source)"
        case .source(let source): "数据源 \(source)"
        }
    }

    static func statusName(_ s: PackageStatus?) -> String {
        switch s {
        case .active: "生效中"
        case .usedUp: "已用完"
        case .expired: "已过期"
        case .released: "已释放"
        case .refunded: "已退款"
        case .deleted: "已删除"
        case .unknown, nil: "未知"
        }
    }

    /// English: RFC 3339 UTC. Chinese: Beijing time, `2026-11-23 06:00 (UTC+8)`.
    static func time(_ d: Date, zh: Bool) -> String {
        guard zh else { return RFC3339.format(d) }
        let s = RFC3339.format(d.addingTimeInterval(8 * 3600))
        return String(s.prefix(10)) + " " + String(s.dropFirst(11).prefix(5)) + " (UTC+8)"
    }

    static func trimSlash(_ s: String) -> String {
        var s = s
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }
}
