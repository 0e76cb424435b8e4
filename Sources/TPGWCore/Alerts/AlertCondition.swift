import Foundation

/// One subject currently breaching (or still inside the clear margin of) one rule of one budget.
package struct AlertCondition: Sendable, Equatable {
    package var fingerprint: Fingerprint
    package var budgetID: String
    package var budgetName: String
    package var ruleIndex: Int
    package var kind: AlertRule.Kind
    package var subject: AlertSubject
    /// The highest breached threshold index; nil when the value is not breaching but has not cleared the
    /// lowest threshold by the margin yet (a firing alert stays firing, nothing new fires).
    package var level: Int?
    /// The highest threshold index not yet cleared by the margin (>= `level`).
    package var heldLevel: Int
    /// The measured value: a ratio, bytes, hours, minutes, or 1 for yes/no rules.
    package var value: Double
    /// The threshold of `level` (or of `heldLevel` when not breaching).
    package var threshold: Double
    /// Fires once and resolves on its own (status changes).
    package var oneShot: Bool
    package var facts: AlertFacts
    /// Short English summary; channels may write their own from the structured fields. Rendered when read: a pass
    /// builds a condition for every breaching subject and most of them change nothing (see ``AlertStateMachine``).
    package var summary: String { renderSummary(threshold) }
    private let renderSummary: @Sendable (_ threshold: Double) -> String

    package init(
        fingerprint: Fingerprint, budgetID: String, budgetName: String, ruleIndex: Int, kind: AlertRule.Kind,
        subject: AlertSubject, level: Int?, heldLevel: Int, value: Double, threshold: Double, oneShot: Bool = false,
        facts: AlertFacts = AlertFacts(), summary: String
    ) {
        self.init(
            fingerprint: fingerprint, budgetID: budgetID, budgetName: budgetName, ruleIndex: ruleIndex, kind: kind, subject: subject,
            level: level, heldLevel: heldLevel, value: value, threshold: threshold, oneShot: oneShot, facts: facts, renderSummary: { _ in summary })
    }

    /// As above with the summary rendered by `renderSummary` (given the condition's threshold) when it is read.
    package init(
        fingerprint: Fingerprint, budgetID: String, budgetName: String, ruleIndex: Int, kind: AlertRule.Kind,
        subject: AlertSubject, level: Int?, heldLevel: Int, value: Double, threshold: Double, oneShot: Bool = false,
        facts: AlertFacts = AlertFacts(), renderSummary: @escaping @Sendable (_ threshold: Double) -> String
    ) {
        self.fingerprint = fingerprint
        self.budgetID = budgetID
        self.budgetName = budgetName
        self.ruleIndex = ruleIndex
        self.kind = kind
        self.subject = subject
        self.level = level
        self.heldLevel = heldLevel
        self.value = value
        self.threshold = threshold
        self.oneShot = oneShot
        self.facts = facts
        self.renderSummary = renderSummary
    }

    package static func == (a: AlertCondition, b: AlertCondition) -> Bool {
        a.fingerprint == b.fingerprint && a.budgetID == b.budgetID && a.budgetName == b.budgetName && a.ruleIndex == b.ruleIndex
            && a.kind == b.kind && a.subject == b.subject && a.level == b.level && a.heldLevel == b.heldLevel && a.value == b.value
            && a.threshold == b.threshold && a.oneShot == b.oneShot && a.facts == b.facts && a.summary == b.summary
    }

    /// Whether the rule is breached now (not merely held by hysteresis).
    package var isBreaching: Bool { level != nil }
}
