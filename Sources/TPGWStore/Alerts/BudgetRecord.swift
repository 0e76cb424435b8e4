import Foundation

/// A stored budget: its validated JSON body (without `id`) and bookkeeping columns.
package struct BudgetRecord: Sendable, Equatable {
    package var id: String
    package var seq: Int64
    package var name: String
    /// The budget as JSON text (`Budget` encoding).
    package var body: String
    package var version: Int
    package var createdAt: Date
    package var updatedAt: Date

    package init(id: String, seq: Int64, name: String, body: String, version: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.seq = seq
        self.name = name
        self.body = body
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
