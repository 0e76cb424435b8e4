import Foundation

/// A silence: between `startsAt` and `endsAt`, alerts its matchers select are still evaluated and listed (shown
/// as silenced) but send nothing. Ending it early sets `endsAt` to now.
package struct Silence: Sendable, Equatable {
    package var id: String
    package var matchers: SilenceMatchers
    package var startsAt: Date
    package var endsAt: Date
    package var comment: String
    /// The name of the API key that created it.
    package var createdBy: String

    package init(id: String, matchers: SilenceMatchers, startsAt: Date, endsAt: Date, comment: String, createdBy: String) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.comment = comment
        self.createdBy = createdBy
    }

    /// Whether it mutes at `now`: `startsAt <= now < endsAt`.
    package func isActive(at now: Date) -> Bool { startsAt <= now && now < endsAt }

    /// `pending` (not started), `active` or `expired` at `now`.
    package func state(at now: Date) -> String { now < startsAt ? "pending" : now < endsAt ? "active" : "expired" }

    /// The first silence active at `now` that mutes this alert; nil when none does.
    package static func muting(
        _ silences: [Silence], budgetID: String, kind: AlertRule.Kind, subject: AlertSubject, now: Date
    ) -> Silence? {
        silences.first { $0.isActive(at: now) && $0.matchers.matches(budgetID: budgetID, kind: kind, subject: subject) }
    }

    /// The longest a silence may last.
    package static let maxDuration: TimeInterval = 366 * 86400

    /// Every value problem at once (fields named like the request: `matchers.package`, `endsAt`, `comment`).
    package func validate(now: Date) -> [AppError.FieldError] {
        var errors: [AppError.FieldError] = []
        func check(_ ok: Bool, _ field: String, _ message: String) {
            if !ok { errors.append(.init(field: field, message: message)) }
        }
        check(!matchers.isEmpty, "matchers", "must give at least one of budget, kind, provider, account, region, package")
        for (field, value) in [("budget", matchers.budget), ("provider", matchers.provider), ("account", matchers.account),
                               ("region", matchers.region)] {
            if let value {
                check(!value.isEmpty && value.unicodeScalars.count <= 200, "matchers.\(field)", "must be 1 to 200 characters when given")
            }
        }
        if let package = matchers.package {
            check(PackageKey(package) != nil, "matchers.package", "must be a package key like bce:prod:bj:tp-87V5cnkwqO")
        }
        check(endsAt > startsAt, "endsAt", "must be after startsAt")
        check(endsAt > now, "endsAt", "must be in the future")
        check(endsAt.timeIntervalSince(max(startsAt, now)) <= Self.maxDuration, "endsAt", "must be at most 366 days after the start")
        check(!Blank.isBlank(comment), "comment", "must not be empty or only blanks")
        check(comment.unicodeScalars.count <= 1000, "comment", "must be at most 1000 characters")
        return errors
    }
}
