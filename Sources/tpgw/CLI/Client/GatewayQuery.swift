import Foundation
import TPGWCore

/// `tpgw packages | summary | sources | alerts | purchases | silences`: what to ask a running gateway and how to
/// show it (`silences add|expire` send a body or a DELETE).
struct GatewayQuery: Equatable {
    enum Resource: String, CaseIterable {
        case packages, summary, sources, alerts, purchases, silences
    }

    enum Output: String {
        case table, json
    }

    var resource: Resource
    /// The gateway's base URL (`--url`, `TPGW_URL`, default `http://127.0.0.1:8080`).
    var baseURL: String
    /// Where the API key comes from: `--key-file`, else `TPGW_API_KEY`.
    var keyFile: String?
    var output: Output = .table
    /// Query parameters for the API, in order.
    var parameters: [(String, String)] = []
    /// Rows wanted at most (list resources follow `nextCursor` until they have them).
    var limit: Int = 100
    /// `GET` for lists; `POST` (with `body`) or `DELETE` (of `pathOverride`) for `silences add|expire`.
    var method: String = "GET"
    var body: [UInt8]?
    var pathOverride: String?

    /// Whether the resource is a list to page through.
    var isList: Bool { method == "GET" && [.packages, .alerts, .purchases, .silences].contains(resource) }

    static func == (a: GatewayQuery, b: GatewayQuery) -> Bool {
        a.resource == b.resource && a.baseURL == b.baseURL && a.keyFile == b.keyFile && a.output == b.output && a.limit == b.limit
            && a.method == b.method && a.body == b.body && a.pathOverride == b.pathOverride
            && a.parameters.map { "\($0.0)=\($0.1)" } == b.parameters.map { "\($0.0)=\($0.1)" }
    }

    /// Filters each resource takes (`--region bj` becomes `region=bj`).
    static let filters: [Resource: [String]] = [
        .packages: ["provider", "account", "region", "status", "policy", "sort", "expiresBefore", "minUsedRatio"],
        .summary: ["group-by"],
        .sources: [],
        .alerts: ["state", "budget", "subject"],
        .purchases: ["state", "requestedBy"],
        .silences: ["state"],
    ]

    /// The API path for the first page.
    var path: String {
        if let pathOverride { return pathOverride }
        return switch resource {
        case .packages: "/v1/packages"
        case .summary: "/v1/summary"
        case .sources: "/v1/sources"
        case .alerts: "/v1/alerts"
        case .purchases: "/v1/purchases"
        case .silences: "/v1/silences"
        }
    }

    /// The request target for a page (`cursor` nil: the first).
    func target(cursor: String?) -> String {
        var items = parameters.map { ($0.0 == "group-by" ? "groupBy" : $0.0, $0.1) }
        if isList { items.append(("limit", String(min(limit, 1000)))) }
        if let cursor { items.append(("cursor", cursor)) }
        guard !items.isEmpty else { return path }
        return path + "?" + items.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
