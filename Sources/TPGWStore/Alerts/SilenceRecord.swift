import Foundation
import TPGWCore

/// One `silences` row; `matchers` is the JSON object of ``SilenceMatchers``.
package struct SilenceRecord: Sendable, Equatable {
    package var id: String
    package var seq: Int64
    package var matchers: String
    package var startsAt: Date
    package var endsAt: Date
    package var comment: String
    package var createdBy: String
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: String, seq: Int64 = 0, matchers: String, startsAt: Date, endsAt: Date, comment: String, createdBy: String,
        createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.seq = seq
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.comment = comment
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The silence it stores; nil when its matchers no longer decode.
    package static func silence(_ r: SilenceRecord) -> Silence? {
        guard let matchers = try? JSONDecoder().decode(SilenceMatchers.self, from: Data(r.matchers.utf8)) else { return nil }
        return Silence(id: r.id, matchers: matchers, startsAt: r.startsAt, endsAt: r.endsAt, comment: r.comment, createdBy: r.createdBy)
    }
}
