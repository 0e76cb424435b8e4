import Foundation
import TPGWCore
import TPGWStore

/// The audit entries of the API's writes: the target before and after as the API shows it, so the one redaction
/// of every answer applies (channel URLs as scheme and host, secrets only as `hasSecret`).
enum AuditTrail {
    static func budget(_ principal: Principal, _ action: String) -> PostgresStore.Audit<BudgetRecord> {
        { before, after in
            AuditEntry(actor: principal.name, action: action, targetType: "budget", targetID: (after ?? before)?.id ?? "",
                       before: before.flatMap(BudgetDTO.init).map(json), after: after.flatMap(BudgetDTO.init).map(json))
        }
    }

    static func channel(_ principal: Principal, _ action: String) -> PostgresStore.Audit<ChannelRecord> {
        { before, after in
            AuditEntry(actor: principal.name, action: action, targetType: "channel", targetID: (after ?? before)?.id ?? "",
                       before: before.map { json(ChannelDTO(record: $0)) }, after: after.map { json(ChannelDTO(record: $0)) })
        }
    }

    static func json(_ value: some Encodable) -> String { String(decoding: APIJSON.encode(value), as: UTF8.self) }
}
