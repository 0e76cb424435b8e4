import Foundation
import TPGWCore

extension PostgresStore {
    static let channelColumns = "id, seq, name, format, url, secret, language, created_at, updated_at"

    /// Stores a new channel.
    package func insertChannel(_ c: ChannelRecord) async throws -> ChannelRecord {
        let rows = try await pool.query("""
            INSERT INTO channels (id, name, format, url, secret, language)
            VALUES (\(c.id), \(c.name), \(c.format), \(c.url), \(c.secret), \(c.language))
            RETURNING \(unsafeRaw: Self.channelColumns)
            """)
        return try Self.decodeChannel(rows[0])
    }

    /// Replaces a channel's fields; nil when there is no such channel.
    package func updateChannel(_ c: ChannelRecord) async throws -> ChannelRecord? {
        let rows = try await pool.query("""
            UPDATE channels SET name = \(c.name), format = \(c.format), url = \(c.url), secret = \(c.secret),
                language = \(c.language), updated_at = now()
            WHERE id = \(c.id) RETURNING \(unsafeRaw: Self.channelColumns)
            """)
        return try rows.first.map { row throws(PostgresError) in try Self.decodeChannel(row) }
    }

    /// Deletes a channel and its deliveries; returns whether it existed.
    package func deleteChannel(id: String) async throws -> Bool {
        let rows = try await pool.query("DELETE FROM channels WHERE id = \(id) RETURNING id")
        return !rows.isEmpty
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
