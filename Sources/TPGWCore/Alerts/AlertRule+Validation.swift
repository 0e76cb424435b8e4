extension AlertRule {
    /// Value problems of this rule, with fields named `rules[<index>].<param>`; empty when valid.
    package func validate(index: Int) -> [AppError.FieldError] {
        let at = "rules[\(index)]"
        var errors: [AppError.FieldError] = []
        func check(_ ok: Bool, _ field: String, _ message: String) {
            if !ok { errors.append(.init(field: "\(at).\(field)", message: message)) }
        }
        if let confidence {
            let r = Self.confidenceRange
            check(confidence.isFinite && r.contains(confidence), "confidence",
                  "must be a probability in [\(r.lowerBound), \(r.upperBound)]")
        }
        switch self {
        case .usedRatio(let thresholds, _):
            check(!thresholds.isEmpty, "thresholds", "must list at least one threshold")
            check(thresholds.count <= 10, "thresholds", "must list at most 10 thresholds")
            check(Set(thresholds).count == thresholds.count, "thresholds", "must not repeat a threshold")
            for (i, t) in thresholds.enumerated() {
                check(t.isFinite && t > 0 && t <= 1, "thresholds[\(i)]", "must be a ratio in (0, 1]")
            }
        case .remainingBytes(let below, _):
            check(below > 0, "below", "must be a positive number of bytes")
        case .exhaustion(let hours, _, _):
            check(hours.isFinite && hours > 0 && hours <= Self.maxHours, "withinHours", "must be in (0, \(Int(Self.maxHours))]")
        case .exhaustsBeforeExpiry, .statusChange:
            break
        case .expiryWaste(let days, let bytes, let ratio, _):
            check(days.isFinite && days > 0 && days <= 400, "withinDays", "must be in (0, 400]")
            if let bytes { check(bytes >= 0, "unusedBytesAbove", "must not be negative") }
            if let ratio { check(ratio.isFinite && ratio >= 0 && ratio < 1, "unusedRatioAbove", "must be a ratio in [0, 1)") }
        case .coverageGap(let hours, _):
            check(hours.isFinite && hours >= 0 && hours <= Self.maxHours, "withinHours", "must be in [0, \(Int(Self.maxHours))]")
        case .sourceStale(let minutes):
            check(minutes.isFinite && minutes >= 1 && minutes <= 43200, "afterMinutes", "must be in [1, 43200] (30 days)")
        }
        return errors
    }

    /// The longest forecast horizon a rule may ask about (the pool simulation's 400 days).
    static let maxHours: Double = 9600
}
