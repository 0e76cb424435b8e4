import Foundation
import TPGWCore

/// One simulated package. Amounts are GB (binary), as the API reports them.
struct TencentSimPackage: Sendable, Equatable {
    var id: String
    var name: String
    var totalGB: Double
    var usedGB: Double
    var status: String
    var deductType: String
    var createdTime: Date
    var deadline: Date
    var tags: [(String, String)] = []
    /// Traffic drawn per simulated hour (for `IDLE_TIME`, per off-peak hour) while `AVAILABLE`; 0 keeps usage still.
    var burnGBPerHour: Double = 0

    static func == (a: TencentSimPackage, b: TencentSimPackage) -> Bool { a.id == b.id && a.json() == b.json() }

    /// `CreatedTime` + `months` calendar months − 1 s, as in Tencent's example.
    static func deadline(created: Date, months: Int) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let end = cal.date(byAdding: .month, value: months, to: created) ?? created.addingTimeInterval(Double(months) * 30 * 86_400)
        return end.addingTimeInterval(-1)
    }

    /// Whole numbers without a fraction (`10`, `0`), others with up to four decimals, as the API does.
    static func amount(_ gb: Double) -> String {
        if gb == gb.rounded() && abs(gb) < 1e15 { return String(Int64(gb)) }
        var s = String(format: "%.4f", gb)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// The `TrafficPackage` object; `corruptTotal` replaces `TotalAmount` with a number no Double holds.
    func json(corruptTotal: Bool = false) -> String {
        let total = corruptTotal ? "1e999" : Self.amount(totalGB)
        let remaining = Self.amount(max(0, totalGB - usedGB))
        let tagJSON = tags.map { "{\"Key\":\(JSONString.quote($0.0)),\"Value\":\(JSONString.quote($0.1))}" }.joined(separator: ",")
        return "{\"TrafficPackageId\":\(JSONString.quote(id)),\"TrafficPackageName\":\(JSONString.quote(name)),"
            + "\"TotalAmount\":\(total),\"RemainingAmount\":\(remaining),\"Status\":\(JSONString.quote(status)),"
            + "\"CreatedTime\":\"\(RFC3339.format(createdTime))\",\"Deadline\":\"\(RFC3339.format(deadline))\","
            + "\"DeductType\":\(JSONString.quote(deductType)),\"UsedAmount\":\(Self.amount(usedGB)),\"TagSet\":[\(tagJSON)]}"
    }
}
