/// The dimension `GET /v1/summary?groupBy=` totals by.
package enum SummaryGroupBy: String, Sendable, Codable, CaseIterable {
    case region
    case account
    case policy
    case status
    /// `bce`, `tencent`: both clouds side by side.
    case provider

    /// Whether groups of this dimension are unions of whole pools (so pool forecasts apply to them).
    package var groupsPools: Bool { self == .region || self == .account || self == .provider }
}
