import Foundation
import TPGWCore
import TPGWHTTP
import TPGWStore

/// `GET /v1/alerts?state=&budget=&subject=`, `GET /v1/alerts/{id}` (with its deliveries and their attempts),
/// `POST /v1/alerts/{id}/ack`.
struct AlertRoutes: Sendable {
    let store: PostgresStore
    let auth: Authenticator
    /// Wall time of the gateway (`Application.now`; moves with the manual clock in tests).
    var now: @Sendable () -> Date = { Date() }

    func register(on router: Router) {
        router.get("/v1/alerts", use: auth.require(.read, list))
        router.get("/v1/alerts/{id}", use: auth.require(.read, get))
        router.post("/v1/alerts/{id}/ack", use: auth.require(.write, acknowledge))
    }

    /// POST /v1/alerts/{id}/ack `{"comment": "..."}`: stops the firing alert's repeats until it resolves or
    /// escalates to a higher threshold. 409 when it is not firing. Audited.
    func acknowledge(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let raw = try context.parameter("id")
        guard let id = Int64(raw) else { throw AppError(.notFound, "no alert \(raw.prefix(100))") }
        let comment = try AckRequest.decode(request.body)
        let at = now()
        let record = try await store.updateAlert(
            id: id, audit: AuditEntry(actor: principal.name, action: "alert.ack", targetType: "alert")
        ) { record in
            guard var alert = try? JSONDecoder().decode(AlertState.self, from: Data(record.body.utf8)) else {
                throw AppError(.internal, "stored alert \(id) does not decode")
            }
            guard alert.status == .firing else { throw AppError(.conflict, "alert \(id) is not firing; only a firing alert can be acknowledged") }
            alert.acknowledgement = .init(by: principal.name, at: at, comment: comment)
            return String(decoding: APIJSON.encode(alert), as: UTF8.self)
        }
        guard let record, let dto = AlertDTO(record) else { throw AppError(.notFound, "no alert \(raw.prefix(100))") }
        context.logger.info("alert acknowledged", metadata: ["alert.id": raw, "auth.key": principal.name])
        return .json(APIJSON.encode(dto))
    }

    /// GET /v1/alerts, newest first.
    func list(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let (paging, filters) = try ListPaging.parse(request.queryItems, list: "alerts", filters: ["state", "budget", "subject"])
        if let state = filters["state"], AlertState.Status(rawValue: state) == nil {
            throw AppError(.validationFailed, "invalid list query", fieldErrors: [.init(field: "state", message: "must be firing or resolved")])
        }
        let rows = try await store.alerts(
            state: filters["state"], budgetID: filters["budget"], subject: filters["subject"], beforeID: paging.after, limit: paging.limit + 1)
        let page = Array(rows.prefix(paging.limit))
        let body = ListBody(items: page.compactMap { AlertDTO($0) }, nextCursor: paging.nextCursor(last: page.last?.id, hasMore: rows.count > paging.limit))
        return .json(APIJSON.encode(body))
    }

    /// GET /v1/alerts/{id}
    func get(_ request: HTTPRequest, _ context: RequestContext, _ principal: Principal) async throws -> HTTPResponse {
        let raw = try context.parameter("id")
        guard let id = Int64(raw), let record = try await store.alert(id: id) else { throw AppError(.notFound, "no alert \(raw.prefix(100))") }
        let deliveries = try await store.deliveries(alertID: id, limit: 1000)
        let attempts = Dictionary(grouping: try await store.deliveryAttempts(deliveryIDs: deliveries.map(\.id)), by: \.deliveryID)
        let dtos = deliveries.map { DeliveryDTO(record: $0, attempts: attempts[$0.id] ?? []) }
        guard let dto = AlertDTO(record, deliveries: dtos) else { throw AppError(.internal, "stored alert \(id) does not decode") }
        return .json(APIJSON.encode(dto))
    }
}
