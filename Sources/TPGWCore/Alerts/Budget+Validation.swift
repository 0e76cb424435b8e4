import Foundation

extension Budget {
    /// Every value problem at once, with fields named like `name`, `scope.package`, `rules[0].thresholds`.
    package func validate() -> [AppError.FieldError] {
        var errors: [AppError.FieldError] = []
        func check(_ ok: Bool, _ field: String, _ message: String) {
            if !ok { errors.append(.init(field: field, message: message)) }
        }
        check(!Blank.isBlank(name), "name", "must not be empty or only blanks")
        check(name.unicodeScalars.count <= 200, "name", "must be at most 200 characters")
        if let account = scope.account { check(!account.isEmpty, "scope.account", "must not be empty when given") }
        if let region = scope.region { check(!region.isEmpty, "scope.region", "must not be empty when given") }
        if let package = scope.package {
            // Fields narrow together: a package with an account or region it is not in matches nothing.
            if PackageKey(package) == nil {
                check(false, "scope.package", "must be a package key like bce:prod:bj:tp-87V5cnkwqO")
            }
        }
        // No rules is a dormant budget (it fires nothing): allowed, so a budget can be set up before its rules.
        check(rules.count <= 50, "rules", "must list at most 50 rules")
        for (i, rule) in rules.enumerated() { errors += rule.validate(index: i) }
        for (i, channel) in channels.enumerated() { check(!channel.isEmpty, "channels[\(i)]", "must not be empty") }
        check(Set(channels).count == channels.count, "channels", "must not repeat a channel")
        check(repeatIntervalHours.isFinite && repeatIntervalHours >= 0.25 && repeatIntervalHours <= 720,
              "repeatIntervalHours", "must be in [0.25, 720]")
        check(groupWaitSeconds.isFinite && groupWaitSeconds >= 0 && groupWaitSeconds <= 3600,
              "groupWaitSeconds", "must be in [0, 3600]")
        check(groupIntervalSeconds.isFinite && groupIntervalSeconds >= 0 && groupIntervalSeconds <= 86400,
              "groupIntervalSeconds", "must be in [0, 86400]")
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
