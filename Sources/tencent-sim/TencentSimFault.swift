/// Faults injected into one region's answers (`POST /__sim/faults`). All fields optional in JSON.
package struct TencentSimFault: Sendable, Equatable, Codable {
    /// Added before every answer of the region.
    package var latencyMs: Int = 0
    /// Fraction of requests (0...1) answered with `Response.Error` `errorCode` (HTTP 200, as Tencent does).
    var errorRate: Double = 0
    var errorCode: String = "InternalError"
    /// Shorthand for `errorRate` 1 with `RequestLimitExceeded`.
    var throttle: Bool = false
    /// Answer with this HTTP status and a non-JSON body instead (a gateway in front of the API failing).
    var httpStatus: Int? = nil
    /// Never answer: the client must time out.
    var hang: Bool = false
    /// Close the connection without an answer.
    var closeConnection: Bool = false
    /// Answer 200 with a cut JSON body.
    var malformedJSON: Bool = false
    /// For `CreateTrafficPackages`: buy first, then fail (error, close, hang, malformed, HTTP status): the lost answer.
    var afterCommit: Bool = false
    /// Before each `DescribeTrafficPackages` page after the first (`Offset` > 0), buy one package (newest first,
    /// so every later page shifts): `TotalCount` changes mid-walk. `times` bounds how many.
    var totalCountDrift: Bool = false
    /// `TotalAmount` of the first package of every page becomes `1e999` (unrepresentable).
    var corruptAmount: Bool = false
    /// Only these actions (`DescribeTrafficPackages`, `CreateTrafficPackages`) are affected; nil means all.
    var actions: [String]? = nil
    /// How many faulty answers (or drifts) before the fault clears itself; nil means until cleared.
    var times: Int? = nil

    package init() {}

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        latencyMs = try c.decodeIfPresent(Int.self, forKey: .latencyMs) ?? 0
        errorRate = try c.decodeIfPresent(Double.self, forKey: .errorRate) ?? 0
        errorCode = try c.decodeIfPresent(String.self, forKey: .errorCode) ?? "InternalError"
        throttle = try c.decodeIfPresent(Bool.self, forKey: .throttle) ?? false
        httpStatus = try c.decodeIfPresent(Int.self, forKey: .httpStatus)
        hang = try c.decodeIfPresent(Bool.self, forKey: .hang) ?? false
        closeConnection = try c.decodeIfPresent(Bool.self, forKey: .closeConnection) ?? false
        malformedJSON = try c.decodeIfPresent(Bool.self, forKey: .malformedJSON) ?? false
        afterCommit = try c.decodeIfPresent(Bool.self, forKey: .afterCommit) ?? false
        totalCountDrift = try c.decodeIfPresent(Bool.self, forKey: .totalCountDrift) ?? false
        corruptAmount = try c.decodeIfPresent(Bool.self, forKey: .corruptAmount) ?? false
        actions = try c.decodeIfPresent([String].self, forKey: .actions)
        times = try c.decodeIfPresent(Int.self, forKey: .times)
    }

    /// Whether anything fails requests (latency, drift and corrupt amounts do not).
    var failsRequests: Bool { errorRate > 0 || throttle || httpStatus != nil || hang || closeConnection || malformedJSON }

    static func error(_ code: String, times: Int? = nil, actions: [String]? = nil) -> TencentSimFault {
        var f = TencentSimFault()
        f.errorRate = 1
        f.errorCode = code
        f.times = times
        f.actions = actions
        return f
    }
}
