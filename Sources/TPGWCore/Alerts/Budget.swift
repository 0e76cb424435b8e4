import Foundation

/// Named alert rules over a scope, sent to channels; the body of `POST /v1/budgets`.
package struct Budget: Sendable, Equatable, Codable {
    /// Assigned by the store; empty in a create request.
    package var id: String
    package var name: String
    package var scope: BudgetScope
    package var rules: [AlertRule]
    /// Channel ids.
    package var channels: [String]
    /// How often a still-firing alert is sent again.
    package var repeatIntervalHours: Double
    /// How long the first notice of a (budget, channel) group waits for more alerts to join it (Alertmanager's
    /// `group_wait`).
    package var groupWaitSeconds: Double
    /// After a group's message, how long later changes are batched before the next one (`group_interval`).
    package var groupIntervalSeconds: Double

    package init(
        id: String = "", name: String, scope: BudgetScope = BudgetScope(), rules: [AlertRule], channels: [String] = [],
        repeatIntervalHours: Double = 24, groupWaitSeconds: Double = Budget.defaultGroupWait,
        groupIntervalSeconds: Double = Budget.defaultGroupInterval
    ) {
        self.id = id
        self.name = name
        self.scope = scope
        self.rules = rules
        self.channels = channels
        self.repeatIntervalHours = repeatIntervalHours
        self.groupWaitSeconds = groupWaitSeconds
        self.groupIntervalSeconds = groupIntervalSeconds
    }

    package static let defaultGroupWait: Double = 30
    package static let defaultGroupInterval: Double = 300

    package var repeatInterval: TimeInterval { repeatIntervalHours * 3600 }

    enum CodingKeys: String, CodingKey { case id, name, scope, rules, channels, repeatIntervalHours, groupWaitSeconds, groupIntervalSeconds }

    package init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Set([
            "id", "name", "scope", "rules", "channels", "repeatIntervalHours", "groupWaitSeconds", "groupIntervalSeconds",
        ]))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        name = try c.decode(String.self, forKey: .name)
        scope = try c.decodeIfPresent(BudgetScope.self, forKey: .scope) ?? BudgetScope()
        rules = try c.decode([AlertRule].self, forKey: .rules)
        channels = try c.decodeIfPresent([String].self, forKey: .channels) ?? []
        repeatIntervalHours = try c.decodeIfPresent(Double.self, forKey: .repeatIntervalHours) ?? 24
        groupWaitSeconds = try c.decodeIfPresent(Double.self, forKey: .groupWaitSeconds) ?? Self.defaultGroupWait
        groupIntervalSeconds = try c.decodeIfPresent(Double.self, forKey: .groupIntervalSeconds) ?? Self.defaultGroupInterval
    }
}
