import Foundation
import TPGWCore
import TPGWStore

/// A silence as the API shows it, with its `state` (`pending`, `active`, `expired`) at the time of the answer.
struct SilenceDTO: Encodable, Sendable {
    var record: SilenceRecord
    var matchers: SilenceMatchers
    var now: Date

    init?(_ record: SilenceRecord, now: Date) {
        guard let silence = SilenceRecord.silence(record) else { return nil }
        self.record = record
        self.matchers = silence.matchers
        self.now = now
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(record.id, forKey: .id)
        try c.encode(matchers, forKey: .matchers)
        try c.encode(RFC3339.format(record.startsAt), forKey: .startsAt)
        try c.encode(RFC3339.format(record.endsAt), forKey: .endsAt)
        try c.encode(record.comment, forKey: .comment)
        try c.encode(record.createdBy, forKey: .createdBy)
        try c.encode(now < record.startsAt ? "pending" : now < record.endsAt ? "active" : "expired", forKey: .state)
        try c.encode(RFC3339.format(record.createdAt), forKey: .createdAt)
        try c.encode(RFC3339.format(record.updatedAt), forKey: .updatedAt)
    }

    enum CodingKeys: String, CodingKey { case id, matchers, startsAt, endsAt, comment, createdBy, state, createdAt, updatedAt }
}
