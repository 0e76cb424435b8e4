import Foundation

/// The pure lifecycle of one alert: firing -> resolved, with hysteresis, escalation and repeats.
///
/// | existing | condition | result |
/// |---|---|---|
/// | none/resolved | breaching | firing; `.firing` |
/// | none/resolved | held or none | unchanged; nothing |
/// | firing | breaching at a higher level | level raised, acknowledgement cleared; `.escalated` |
/// | firing | breaching or held | updated; `.repeat` when `repeatInterval` has passed since the last notice |
/// | firing | none (cleared by the margin) | resolved; `.resolved` (acknowledgement and silence mark cleared) |
/// | any | one-shot | fires once per distinct value and is resolved at once, with no resolved notice |
///
/// While firing, the level only drops (silently) once the value has cleared the higher threshold by the
/// margin, so a value wobbling around a threshold escalates once, not on every wobble.
///
/// A firing alert whose value moved but that sends nothing is written at most every ``refreshInterval``; in
/// between the step leaves it as stored (nothing copied, no summary rendered: most alerts of most passes).
package enum AlertStateMachine {
    /// A firing alert whose value moved but that needs no notice is written at most this often.
    package static let refreshInterval: TimeInterval = 600

    /// One step for one fingerprint.
    /// - Parameters:
    ///   - existing: the stored alert, if any.
    ///   - condition: this evaluation's condition for the same fingerprint, nil when the subject is clear.
    ///   - repeatInterval: the budget's repeat interval; 0 or less never repeats.
    /// - Returns: the alert after the step, the events it sends, and whether the alert is to be written (it changed
    ///   and the change is news, a lifecycle field, or a value refresh that is due).
    package static func step(
        existing: AlertState?, condition: AlertCondition?, now: Date, repeatInterval: TimeInterval
    ) -> (state: AlertState?, events: [AlertEvent], write: Bool) {
        let firing = existing.flatMap { $0.status == .firing ? $0 : nil }
        guard let condition else {
            guard var alert = firing else { return (existing, [], false) }
            alert.status = .resolved
            alert.acknowledgement = nil
            alert.silencedBy = nil
            alert.resolvedAt = now
            alert.updatedAt = now
            alert.lastNotifiedAt = now
            alert.notifications += 1
            return (alert, [AlertEvent(kind: .resolved, alert: alert, at: now)], true)
        }
        if condition.oneShot {
            if let existing, existing.value == condition.value, firing == nil { return (existing, [], false) }
            let fired = AlertState(condition: condition, level: condition.level ?? 0, now: now)
            var resolved = fired
            resolved.status = .resolved
            resolved.resolvedAt = now
            return (resolved, [AlertEvent(kind: .firing, alert: fired, at: now)], true)
        }
        guard var alert = firing else {
            guard let level = condition.level else { return (existing, [], false) }
            let alert = AlertState(condition: condition, level: level, now: now)
            return (alert, [AlertEvent(kind: .firing, alert: alert, at: now)], true)
        }
        let previous = alert.level
        let held = min(previous, condition.heldLevel)
        let level = max(condition.level ?? held, held)
        // The condition's threshold belongs to its own level; keep ours while hysteresis holds a higher one.
        let threshold = level == (condition.level ?? condition.heldLevel) ? condition.threshold : alert.threshold
        let repeats = level <= previous && repeatInterval > 0 && now.timeIntervalSince(alert.lastNotifiedAt) >= repeatInterval
        let lifecycle = level != previous || threshold != alert.threshold || condition.budgetName != alert.budgetName
        guard repeats || lifecycle || now.timeIntervalSince(alert.updatedAt) >= refreshInterval else { return (existing, [], false) }
        alert.level = level
        alert.value = condition.value
        alert.threshold = threshold
        alert.summary = condition.summary
        alert.facts = condition.facts
        alert.budgetName = condition.budgetName
        alert.updatedAt = now
        var events: [AlertEvent] = []
        if level > previous {
            // An escalation ends an acknowledgement: the higher threshold is news.
            alert.acknowledgement = nil
            alert.lastNotifiedAt = now
            alert.notifications += 1
            events.append(AlertEvent(kind: .escalated, alert: alert, previousLevel: previous, at: now))
        } else if repeats {
            alert.lastNotifiedAt = now
            alert.notifications += 1
            events.append(AlertEvent(kind: .repeat, alert: alert, at: now))
        }
        return (alert, events, true)
    }
}
