import Foundation
import TPGWCore
import TPGWHTTP
import TPGWStore

/// `GET /v1/deliveries?state=` (e.g. `dead`: the dead-letter list), newest first.
struct DeliveryRoutes: Sendable {
    let store: PostgresStore
    let auth: Authenticator

    static let states: Set<String> = ["pending", "delivered", "dead", "failed"]

    func register(on router: Router) {
        router.get("/v1/deliveries", use: auth.require(.read, list))
    }

    func list(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let (paging, filters) = try ListPaging.parse(request.queryItems, list: "deliveries", filters: ["state", "alert"])
        if let state = filters["state"], !Self.states.contains(state) {
            throw AppError(.validationFailed, "invalid list query",
                           fieldErrors: [.init(field: "state", message: "must be one of pending, delivered, dead, failed")])
        }
        var alertID: Int64?
        if let raw = filters["alert"] {
            if let id = Int64(raw), id > 0 {
                alertID = id
            } else if Int64(raw) == nil, !raw.isEmpty, raw.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                alertID = -1  // a number past any alert id: no alert, so no deliveries
            } else {
                throw AppError(.validationFailed, "invalid list query", fieldErrors: [.init(field: "alert", message: "must be an alert id")])
            }
        }
        let rows = try await store.deliveries(state: filters["state"], alertID: alertID, beforeSeq: paging.after, limit: paging.limit + 1)
        let page = Array(rows.prefix(paging.limit))
        let body = ListBody(items: page.map { DeliveryDTO(record: $0) }, nextCursor: paging.nextCursor(last: page.last?.seq, hasMore: rows.count > paging.limit))
        return .json(APIJSON.encode(body))
    }
}
