import Foundation

/// Short human formats for alert summaries (English; channels localise with the same numbers).
package enum AlertText {
    /// Binary units with at most one decimal: `512 GiB`, `1.5 TiB`, `0 B`.
    package static func bytes(_ n: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(n)
        var unit = 0
        while abs(value) >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return "\(oneDecimal(value)) \(units[unit])"
    }

    /// `85%`, or `85.5%` when the tenth matters.
    package static func percent(_ ratio: Double) -> String {
        "\(oneDecimal(ratio * 100))%"
    }

    /// `45 min`, `30 h`, `3 d 4 h` (English); `zh` gives `45 分钟`, `30 小时`, `3 天 4 小时`.
    package static func duration(hours: Double, zh: Bool = false) -> String {
        let h = max(0, hours)
        if h < 1 {
            let m = Int(saturating: (h * 60).rounded())
            return zh ? "\(m) 分钟" : "\(m) min"
        }
        if h < 48 {
            let r = Int(saturating: h.rounded())
            return zh ? "\(r) 小时" : "\(r) h"
        }
        let total = Int(saturating: h.rounded())
        let days = total / 24
        let rest = total % 24
        if zh { return rest == 0 ? "\(days) 天" : "\(days) 天 \(rest) 小时" }
        return rest == 0 ? "\(days) d" : "\(days) d \(rest) h"
    }

    /// `12`, `12.5` (one decimal, trailing `.0` dropped).
    package static func oneDecimal(_ v: Double) -> String {
        let tenths = (v * 10).rounded()
        if tenths.truncatingRemainder(dividingBy: 10) == 0 { return String(Int64(saturating: tenths / 10)) }
        return String(Double(tenths) / 10)
    }
}
