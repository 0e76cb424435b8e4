/// Faults injected into one region's responses (`POST /__sim/faults`). All fields optional in JSON.
struct SimFault: Sendable, Equatable, Codable {
    /// Added before every response of the region.
    var latencyMs: Int = 0
    /// Fraction of requests (0...1) answered with `errorStatus`/`errorCode`.
    var errorRate: Double = 0
    var errorStatus: Int = 500
    var errorCode: String = "InternalError"
    /// Never answer: the client must time out.
    var hang: Bool = false
    /// Close the connection without a response.
    var closeConnection: Bool = false
    /// Answer 200 with a truncated JSON body.
    var malformedJSON: Bool = false
    /// Only the N-th page (1-based) of a list is affected by the error/hang/close/malformed faults.
    var failPage: Int? = nil
    /// For create: create the package first, then fail (error, close or hang) - the "lost response" case.
    var afterCommit: Bool = false
    /// Only these operations (`list`, `get`, `create`, `price`) are affected; nil means all.
    var operations: [String]? = nil
    /// How many faulty responses to give before the fault clears itself; nil means until cleared.
    var times: Int? = nil

    init() {}

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        latencyMs = try c.decodeIfPresent(Int.self, forKey: .latencyMs) ?? 0
        errorRate = try c.decodeIfPresent(Double.self, forKey: .errorRate) ?? 0
        errorStatus = try c.decodeIfPresent(Int.self, forKey: .errorStatus) ?? 500
        errorCode = try c.decodeIfPresent(String.self, forKey: .errorCode) ?? "InternalError"
        hang = try c.decodeIfPresent(Bool.self, forKey: .hang) ?? false
        closeConnection = try c.decodeIfPresent(Bool.self, forKey: .closeConnection) ?? false
        malformedJSON = try c.decodeIfPresent(Bool.self, forKey: .malformedJSON) ?? false
        failPage = try c.decodeIfPresent(Int.self, forKey: .failPage)
        afterCommit = try c.decodeIfPresent(Bool.self, forKey: .afterCommit) ?? false
        operations = try c.decodeIfPresent([String].self, forKey: .operations)
        times = try c.decodeIfPresent(Int.self, forKey: .times)
    }

    /// Whether anything besides latency is set.
    var failsRequests: Bool { errorRate > 0 || hang || closeConnection || malformedJSON }

    static func error(status: Int = 500, code: String = "InternalError", times: Int? = nil) -> SimFault {
        var f = SimFault()
        f.errorRate = 1
        f.errorStatus = status
        f.errorCode = code
        f.times = times
        return f
    }
}
