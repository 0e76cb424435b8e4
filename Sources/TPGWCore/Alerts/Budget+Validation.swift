import Foundation

extension Budget {
    /// Every value problem at once, with fields named like `name`, `scope.package`, `rules[0].thresholds`.
    package func validate() -> [AppError.FieldError] {
        var errors: [AppError.FieldError] = []
        func check(_ ok: Bool, _ field: String, _ message: String) {
            if !ok { errors.append(.init(field: field, message: message)) }
        }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        check(!trimmed.isEmpty, "name", "must not be empty")
        check(name.count <= 200, "name", "must be at most 200 characters")
        if let account = scope.account { check(!account.isEmpty, "scope.account", "must not be empty when given") }
        if let region = scope.region { check(!region.isEmpty, "scope.region", "must not be empty when given") }
        if let package = scope.package {
            if let key = PackageKey(package) {
                if let account = scope.account { check(account == key.account, "scope.package", "belongs to another account than scope.account") }
                if let region = scope.region { check(region == key.region, "scope.package", "belongs to another region than scope.region") }
            } else {
                check(false, "scope.package", "must be a package key like bce:prod:bj:tp-87V5cnkwqO")
            }
        }
        check(!rules.isEmpty, "rules", "must list at least one rule")
        check(rules.count <= 50, "rules", "must list at most 50 rules")
        for (i, rule) in rules.enumerated() { errors += rule.validate(index: i) }
        for (i, channel) in channels.enumerated() { check(!channel.isEmpty, "channels[\(i)]", "must not be empty") }
        check(Set(channels).count == channels.count, "channels", "must not repeat a channel")
        check(repeatIntervalHours.isFinite && repeatIntervalHours >= 0.25 && repeatIntervalHours <= 720,
              "repeatIntervalHours", "must be in [0.25, 720]")
        return errors
    }

    /// Decodes and validates a request body; every problem becomes `AppError(.validationFailed)` with field errors
    /// (the API maps it to 422), malformed JSON becomes `.invalidArgument`.
    package static func decodeValidated(from body: Data) throws(AppError) -> Budget {
        let budget: Budget
        do {
            budget = try JSONDecoder().decode(Budget.self, from: body)
        } catch let error as DecodingError {
            if let field = DecodingFieldError.make(error) {
                throw AppError(.validationFailed, "The budget is invalid.", fieldErrors: [field])
            }
            throw AppError(.invalidArgument, "The body is not valid JSON.")
        } catch {
            throw AppError(.invalidArgument, "The body is not valid JSON.")
        }
        let errors = budget.validate()
        guard errors.isEmpty else { throw AppError(.validationFailed, "The budget is invalid.", fieldErrors: errors) }
        return budget
    }
}
