import Foundation

/// What a probabilistic forecast rests on: how many hours of history, which model, and the change point (if any)
/// after which the level was measured. JSON: `{"historyHours": n, "model": "...", "changePointAt": "..." | null}`.
package struct ForecastBasis: Sendable, Equatable, Codable {
    /// Hours of observed history the features hold (up to 28 days are weighted in).
    package var historyHours: Int
    /// `lifetime-average` (under 6 hours of history), `flat` (under a day), `daily-profile` (under a week),
    /// `weekly-profile`; `+trend` when a trend is applied, `+change-point` when the level restarted in the last 48 h.
    package var model: String
    package var changePointAt: Date?

    package init(historyHours: Int, model: String, changePointAt: Date?) {
        self.historyHours = historyHours
        self.model = model
        self.changePointAt = changePointAt
    }

    enum CodingKeys: String, CodingKey { case historyHours, model, changePointAt }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        historyHours = try c.decode(Int.self, forKey: .historyHours)
        model = try c.decode(String.self, forKey: .model)
        changePointAt = try c.decodeRFC3339IfPresent(forKey: .changePointAt)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(historyHours, forKey: .historyHours)
        try c.encode(model, forKey: .model)
        try c.encodeRFC3339(changePointAt, forKey: .changePointAt)
    }
}
