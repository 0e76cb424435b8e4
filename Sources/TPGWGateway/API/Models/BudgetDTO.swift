import Foundation
import TPGWCore
import TPGWStore

/// A budget as the API shows it: the create body plus `id`, `version`, `createdAt`, `updatedAt`.
struct BudgetDTO: Encodable, Sendable {
    var budget: Budget
    var record: BudgetRecord

    init?(_ record: BudgetRecord) {
        guard var budget = try? JSONDecoder().decode(Budget.self, from: Data(record.body.utf8)) else { return nil }
        budget.id = record.id
        budget.name = record.name
        self.budget = budget
        self.record = record
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(budget.id, forKey: .id)
        try c.encode(budget.name, forKey: .name)
        try c.encode(budget.scope, forKey: .scope)
        try c.encode(budget.rules, forKey: .rules)
        try c.encode(budget.channels, forKey: .channels)
        try c.encode(budget.repeatIntervalHours, forKey: .repeatIntervalHours)
        try c.encode(record.version, forKey: .version)
        try c.encode(RFC3339.format(record.createdAt), forKey: .createdAt)
        try c.encode(RFC3339.format(record.updatedAt), forKey: .updatedAt)
    }

    enum CodingKeys: String, CodingKey { case id, name, scope, rules, channels, repeatIntervalHours, version, createdAt, updatedAt }
}
