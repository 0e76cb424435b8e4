import Foundation

/// A stored alert: the state machine's state as JSON (`AlertState` encoding) plus the columns lists filter on.
package struct AlertRecord: Sendable, Equatable {
    package var id: Int64
    package var fingerprint: String
    package var budgetID: String
    package var state: String
    package var level: Int
    package var body: String
    package var updatedAt: Date

    package init(id: Int64, fingerprint: String, budgetID: String, state: String, level: Int, body: String, updatedAt: Date) {
        self.id = id
        self.fingerprint = fingerprint
        self.budgetID = budgetID
        self.state = state
        self.level = level
        self.body = body
        self.updatedAt = updatedAt
    }
}
