import Foundation
import TPGWCore
import TPGWHTTP
import TPGWStore

/// `GET /v1/deliveries?state=` (e.g. `dead`: the dead-letter list), newest first; `POST /v1/deliveries/{id}/retry`
/// and `POST /v1/deliveries/retry` (every dead or failed delivery of a channel) re-drive dead letters.
struct DeliveryRoutes: Sendable {
    let store: PostgresStore
    let auth: Authenticator
    /// Wall time of the gateway (`Application.now`; moves with the manual clock in tests).
    var now: @Sendable () -> Date = { Date() }

    static let states: Set<String> = ["pending", "delivered", "dead", "failed"]

    func register(on router: Router) {
        router.get("/v1/deliveries", use: auth.require(.read, list))
        router.post("/v1/deliveries/retry", use: auth.require(.write, retryChannel))
        router.post("/v1/deliveries/{id}/retry", use: auth.require(.write, retry))
    }

    /// POST /v1/deliveries/{id}/retry: the dead or failed delivery is pending and due now, same id; 409 otherwise.
    func retry(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let id = try context.parameter("id")
        let result = try await store.retryDelivery(
            id: id, now: now(), audit: AuditEntry(actor: principal.name, action: "delivery.retry", targetType: "delivery"))
        switch result {
        case .success(let record):
            context.logger.info("delivery re-driven", metadata: ["delivery.id": id, "auth.key": principal.name])
            return .json(APIJSON.encode(DeliveryDTO(record: record)))
        case .failure(.notFound):
            throw AppError(.notFound, "no delivery \(id.prefix(100))")
        case .failure(.notRetryable(let state)):
            throw AppError(.conflict, "delivery \(id.prefix(100)) is \(state); only dead and failed deliveries are retried")
        }
    }

    /// POST /v1/deliveries/retry `{"channel": "...", "state": "dead"|"failed"}`: re-drives every such delivery of the channel.
    func retryChannel(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        guard let value = try? JSONValue.parse(request.body), let object = value.objectValue else {
            throw AppError(.invalidArgument, "The body is not a JSON object.")
        }
        var errors: [AppError.FieldError] = []
        for key in object.keys.sorted() where key != "channel" && key != "state" { errors.append(.init(field: key, message: "unknown field")) }
        let channel = object["channel"]?.stringValue ?? ""
        if channel.isEmpty { errors.append(.init(field: "channel", message: "is required (a channel id)")) }
        let state = object["state"].map { $0.stringValue ?? "" } ?? "dead"
        if state != "dead" && state != "failed" { errors.append(.init(field: "state", message: "must be dead or failed")) }
        if !errors.isEmpty { throw AppError(.validationFailed, "The retry is invalid.", fieldErrors: errors) }
        guard try await store.channel(id: channel) != nil else { throw AppError(.notFound, "no channel \(channel.prefix(100))") }
        let n = try await store.retryDeliveries(
            channelID: channel, state: state, now: now(),
            audit: AuditEntry(actor: principal.name, action: "delivery.retryChannel", targetType: "channel"))
        context.logger.info("deliveries re-driven", metadata: ["channel.id": channel, "count": "\(n)", "auth.key": principal.name])
        return .json(Array("{\"retried\":\(n)}".utf8))
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
