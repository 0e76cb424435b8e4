/// Validation of metric and label names against the Prometheus data model.
package enum MetricName {
    /// Whether `name` matches `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    package static func isValidMetricName(_ name: String) -> Bool {
        isValid(name, allowColon: true)
    }

    /// Whether `name` matches `[a-zA-Z_][a-zA-Z0-9_]*` and does not start with the reserved `__`.
    package static func isValidLabelName(_ name: String) -> Bool {
        isValid(name, allowColon: false) && !name.hasPrefix("__")
    }

    private static func isValid(_ name: String, allowColon: Bool) -> Bool {
        guard !name.isEmpty else { return false }
        for (index, byte) in name.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): continue
            case UInt8(ascii: "0")...UInt8(ascii: "9") where index > 0: continue
            case UInt8(ascii: ":") where allowColon: continue
            default: return false
            }
        }
        return true
    }
}
