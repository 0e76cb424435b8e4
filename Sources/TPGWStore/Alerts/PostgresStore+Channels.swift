import Foundation
import TPGWCore

extension PostgresStore {
    static let channelColumns = "id, seq, name, format, url, secret, language, created_at, updated_at"

    /// Stores a new channel (with its audit entry, in one transaction).
    package func insertChannel(_ c: ChannelRecord, audit: Audit<ChannelRecord>? = nil) async throws -> ChannelRecord {
        try await pool.withTransaction { connection in
            let rows = try await connection.query("""
                INSERT INTO channels (id, name, format, url, secret, language)
                VALUES (\(c.id), \(c.name), \(c.format), \(c.url), \(c.secret), \(c.language))
                RETURNING \(unsafeRaw: Self.channelColumns)
                """)
            let record = try Self.decodeChannel(rows[0])
            if let audit { try await Self.writeAudit(audit(nil, record), on: connection) }
            return record
        }
    }

    /// Replaces a channel's fields; nil when there is no such channel. Audited in the same transaction.
    package func updateChannel(_ c: ChannelRecord, audit: Audit<ChannelRecord>? = nil) async throws -> ChannelRecord? {
        try await pool.withTransaction { connection in
            let found = try await connection.query("SELECT \(unsafeRaw: Self.channelColumns) FROM channels WHERE id = \(c.id) FOR UPDATE")
            guard let row = found.first else { return nil }
            let before = try Self.decodeChannel(row)
            let rows = try await connection.query("""
                UPDATE channels SET name = \(c.name), format = \(c.format), url = \(c.url), secret = \(c.secret),
                    language = \(c.language), updated_at = now()
                WHERE id = \(c.id) RETURNING \(unsafeRaw: Self.channelColumns)
                """)
            let after = try Self.decodeChannel(rows[0])
            if let audit { try await Self.writeAudit(audit(before, after), on: connection) }
            return after
        }
    }

    /// Deletes a channel and its deliveries; returns whether it existed. Audited in the same transaction.
    package func deleteChannel(id: String, audit: Audit<ChannelRecord>? = nil) async throws -> Bool {
        try await pool.withTransaction { connection in
            let rows = try await connection.query("DELETE FROM channels WHERE id = \(id) RETURNING \(unsafeRaw: Self.channelColumns)")
            guard let row = rows.first else { return false }
            if let audit { try await Self.writeAudit(audit(try Self.decodeChannel(row), nil), on: connection) }
            return true
        }
    }

    package func channel(id: String) async throws -> ChannelRecord? {
        let rows = try await pool.query("SELECT \(unsafeRaw: Self.channelColumns) FROM channels WHERE id = \(id)", idempotent: true)
        return try rows.first.map { row throws(PostgresError) in try Self.decodeChannel(row) }
    }

    /// The channels with these ids (unknown ids are skipped).
    package func channels(ids: [String]) async throws -> [ChannelRecord] {
        guard !ids.isEmpty else { return [] }
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: Self.channelColumns) FROM channels WHERE id = ANY(\(ids)::text[]) ORDER BY seq
            """, idempotent: true)
        return try rows.map { row throws(PostgresError) in try Self.decodeChannel(row) }
    }

    /// A page of channels in creation order, after `afterSeq`.
    package func channels(afterSeq: Int64? = nil, limit: Int = Int(Int32.max)) async throws -> [ChannelRecord] {
        let rows = try await pool.query("""
            SELECT \(unsafeRaw: Self.channelColumns) FROM channels WHERE seq > \(afterSeq ?? 0) ORDER BY seq LIMIT \(limit)
            """, idempotent: true)
        return try rows.map { row throws(PostgresError) in try Self.decodeChannel(row) }
    }

    static func decodeChannel(_ row: PostgresRow) throws(PostgresError) -> ChannelRecord {
        let (id, seq, name, format, url, secret, language, created, updated) =
            try row.decode((String, Int64, String, String, String, String?, String, Date, Date).self)
        return ChannelRecord(
            id: id, seq: seq, name: name, format: format, url: url, secret: secret, language: language, createdAt: created, updatedAt: updated)
    }
}
