extension AlertRule: Codable {
    enum CodingKeys: String, CodingKey {
        case kind, thresholds, per, below, withinHours, withinDays, unusedBytesAbove, unusedRatioAbove, afterMinutes, confidence
    }

    /// The fields each kind accepts besides `kind`.
    static func allowedFields(_ kind: Kind) -> Set<String> {
        switch kind {
        case .usedRatio: ["thresholds", "per"]
        case .remainingBytes: ["below", "per"]
        case .exhaustion: ["withinHours", "per", "confidence"]
        case .exhaustsBeforeExpiry, .statusChange: []
        case .expiryWaste: ["withinDays", "unusedBytesAbove", "unusedRatioAbove", "confidence"]
        case .coverageGap: ["withinHours", "confidence"]
        case .sourceStale: ["afterMinutes"]
        }
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .kind)
        guard let kind = Kind(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c,
                debugDescription: "unknown rule kind; expected one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try StrictKeys.check(decoder, allowed: Self.allowedFields(kind).union(["kind"]))
        let per = try c.decodeIfPresent(Per.self, forKey: .per) ?? .package
        let confidence = try c.decodeIfPresent(Double.self, forKey: .confidence) ?? Self.defaultConfidence
        switch kind {
        // Thresholds are levels: kept in ascending order whatever order they were given in.
        case .usedRatio: self = .usedRatio(thresholds: try c.decode([Double].self, forKey: .thresholds).sorted(), per: per)
        case .remainingBytes: self = .remainingBytes(below: try c.decode(Int64.self, forKey: .below), per: per)
        case .exhaustion:
            self = .exhaustion(withinHours: try c.decode(Double.self, forKey: .withinHours), per: per, confidence: confidence)
        case .exhaustsBeforeExpiry: self = .exhaustsBeforeExpiry
        case .expiryWaste:
            self = .expiryWaste(
                withinDays: try c.decode(Double.self, forKey: .withinDays),
                unusedBytesAbove: try c.decodeIfPresent(Int64.self, forKey: .unusedBytesAbove)
                    // Neither threshold given: any unused byte at expiry is waste.
                    ?? (c.contains(.unusedRatioAbove) && (try? c.decodeNil(forKey: .unusedRatioAbove)) == false ? nil : 0),
                unusedRatioAbove: try c.decodeIfPresent(Double.self, forKey: .unusedRatioAbove), confidence: confidence)
        case .coverageGap:
            self = .coverageGap(withinHours: try c.decodeIfPresent(Double.self, forKey: .withinHours) ?? 0, confidence: confidence)
        case .statusChange: self = .statusChange
        case .sourceStale: self = .sourceStale(afterMinutes: try c.decode(Double.self, forKey: .afterMinutes))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        switch self {
        case .usedRatio(let thresholds, let per):
            try c.encode(thresholds, forKey: .thresholds)
            try c.encode(per, forKey: .per)
        case .remainingBytes(let below, let per):
            try c.encode(below, forKey: .below)
            try c.encode(per, forKey: .per)
        case .exhaustion(let hours, let per, let confidence):
            try c.encode(hours, forKey: .withinHours)
            try c.encode(per, forKey: .per)
            try c.encode(confidence, forKey: .confidence)
        case .exhaustsBeforeExpiry, .statusChange:
            break
        case .expiryWaste(let days, let bytes, let ratio, let confidence):
            try c.encode(days, forKey: .withinDays)
            try c.encodeIfPresent(bytes, forKey: .unusedBytesAbove)
            try c.encodeIfPresent(ratio, forKey: .unusedRatioAbove)
            try c.encode(confidence, forKey: .confidence)
        case .coverageGap(let hours, let confidence):
            try c.encode(hours, forKey: .withinHours)
            try c.encode(confidence, forKey: .confidence)
        case .sourceStale(let minutes):
            try c.encode(minutes, forKey: .afterMinutes)
        }
    }
}
