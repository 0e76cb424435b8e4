import Foundation
@testable import TPGWCore
@testable import TPGWGateway

enum ChannelFixtures {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14T22:13:20Z
    static let key = PackageKey(provider: "bce", account: "prod", region: "bj", id: "tp-87V5cnkwqO")

    /// A usedRatio alert on `key` at 96 % (level 1 of 0.8/0.95), as the state machine emits it.
    static func event(_ kind: AlertEvent.Kind = .firing, ratio: Double = 0.96, subject: AlertSubject? = nil) -> AlertEvent {
        let subject = subject ?? .package(key)
        let condition = AlertCondition(
            fingerprint: Fingerprint(budgetID: "b1", ruleIndex: 0, kind: .usedRatio, subject: subject), budgetID: "b1",
            budgetName: "bj runway", ruleIndex: 0, kind: .usedRatio, subject: subject, level: ratio >= 0.95 ? 1 : 0,
            heldLevel: 1, value: ratio, threshold: ratio >= 0.95 ? 0.95 : 0.8,
            facts: AlertFacts(remainingBytes: 4 << 30, capacityBytes: 100 << 30),
            summary: "\(key) is \(AlertText.percent(ratio)) used (threshold 95%)")
        var state = AlertState(condition: condition, level: condition.level ?? 0, now: now.addingTimeInterval(-3600))
        if kind == .resolved {
            state.status = .resolved
            state.resolvedAt = now
        }
        return AlertEvent(kind: kind, alert: state, previousLevel: kind == .escalated ? 0 : nil, at: now)
    }

    static func settings(_ format: ChannelFormat, secret: String? = nil, language: ChannelSettings.Language = .en,
                         url: String = "https://hooks.example.com/robot/send?access_token=TOKEN123") -> ChannelSettings {
        ChannelSettings(format: format, url: url, secret: secret, language: language, publicURL: "https://tpgw.example.internal/")
    }

    static func json(_ request: OutgoingRequest) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(request.body))
    }

    static func object(_ request: OutgoingRequest) throws -> [String: Any] {
        (try json(request) as? [String: Any]) ?? [:]
    }
}
