import Foundation
import TPGWCore

extension PostgresStore {
    /// Ids from which `storedForecastFeatures` reads every row of the source and keeps the wanted ones (a start)
    /// instead of matching a long id array (measured at 5,000 rows of 1,072 bytes: 100-120 ms against 125-165 ms).
    static let wholeSourceFrom = 1000

    /// The stored forecast features of some of one source's packages (ids without a row are absent). A row whose
    /// data is not valid base64 on the way out of the database (it always is) is left out.
    package func storedForecastFeatures(source: SourceID, ids: [String]) async throws -> [String: StoredForecastFeatures] {
        guard !ids.isEmpty else { return [:] }
        let whole = ids.count >= Self.wholeSourceFrom
        let rows = try await pool.query("""
            SELECT p.package_id, f.format, f.observed_at, encode(f.data, 'base64')
            FROM sources s JOIN packages p ON p.source_id = s.id JOIN forecast_features f ON f.package_pk = p.id
            WHERE s.provider = \(source.provider) AND s.account = \(source.account) AND s.region = \(source.region)
              AND (\(whole) OR p.package_id = ANY(\(whole ? [] : ids)::text[]))
            """, idempotent: true)
        let wanted = whole ? Set(ids) : []
        var out: [String: StoredForecastFeatures] = [:]
        out.reserveCapacity(rows.count)
        for row in rows {
            let id = try row.decode(String.self, at: 0)
            if whole, !wanted.contains(id) { continue }
            guard let data = Data(base64Encoded: try row.decode(String.self, at: 3), options: .ignoreUnknownCharacters) else { continue }
            out[id] = StoredForecastFeatures(
                packageID: id, format: try row.decode(Int.self, at: 1), observedAt: try row.decode(Date.self, at: 2), data: [UInt8](data))
        }
        return out
    }

    /// Writes forecast features of `source`'s packages on `connection` (inside a poll's transaction): a row is
    /// replaced only by one observed no earlier (another replica's older fold never overwrites a newer one), or by
    /// another format. Packages not in the `packages` table are skipped.
    func writeForecastFeatures(_ features: [StoredForecastFeatures], sourceID: Int64, on connection: PostgresConnection) async throws(PostgresError) {
        guard !features.isEmpty else { return }
        _ = try await connection.query("""
            INSERT INTO forecast_features (package_pk, format, observed_at, data)
            SELECT p.id, t.format, t.at, decode(t.data, 'base64')
            FROM unnest(\(features.map(\.packageID))::text[], \(features.map { Int64($0.format) })::int8[],
                        \(features.map(\.observedAt))::timestamptz[], \(features.map { Data($0.data).base64EncodedString() })::text[])
                 AS t(package_id, format, at, data)
            JOIN packages p ON p.source_id = \(sourceID) AND p.package_id = t.package_id
            ON CONFLICT (package_pk) DO UPDATE SET format = EXCLUDED.format, observed_at = EXCLUDED.observed_at, data = EXCLUDED.data
            WHERE forecast_features.observed_at <= EXCLUDED.observed_at OR forecast_features.format <> EXCLUDED.format
            """)
    }
}
