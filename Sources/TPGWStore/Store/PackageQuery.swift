import Foundation
import TPGWCore

/// Filters of `GET /v1/packages`; an empty list or nil means "any".
package struct PackageFilter: Sendable, Equatable {
    package var providers: [String]
    package var accounts: [String]
    package var regions: [String]
    package var statuses: [PackageStatus]
    package var policies: [PackagePolicy]
    package var expiresBefore: Date?
    package var minUsedRatio: Double?

    package init(
        providers: [String] = [], accounts: [String] = [], regions: [String] = [], statuses: [PackageStatus] = [],
        policies: [PackagePolicy] = [], expiresBefore: Date? = nil, minUsedRatio: Double? = nil
    ) {
        self.providers = providers
        self.accounts = accounts
        self.regions = regions
        self.statuses = statuses
        self.policies = policies
        self.expiresBefore = expiresBefore
        self.minUsedRatio = minUsedRatio
    }
}

/// Orders of `GET /v1/packages` that the database can do (exhaustsAt is sorted by the API from forecasts).
package struct PackageSort: Sendable, Equatable, Hashable {
    package enum Field: String, Sendable, Equatable, Hashable, CaseIterable {
        /// provider, account, region, id: the default.
        case key
        case expiresAt
        case usedRatio
        case remainingBytes
    }

    package var field: Field
    package var descending: Bool

    package init(_ field: Field = .key, descending: Bool = false) {
        self.field = field
        self.descending = descending
    }

    /// Parses the API form: `expiresAt`, `-usedRatio`; nil when unknown.
    package init?(api: String) {
        let descending = api.hasPrefix("-")
        guard let field = Field(rawValue: descending ? String(api.dropFirst()) : api) else { return nil }
        self.init(field, descending: descending)
    }

    package static let key = PackageSort(.key)
}

/// Where the next page starts: the sort value and row id of the last item of the previous page.
/// Opaque to clients (`token`), bound to the sort it was made for.
package struct PackageCursor: Sendable, Equatable {
    package var sort: PackageSort
    /// The last item's sort value in text form (for `.key`: its key).
    package var value: String
    package var rowID: Int64

    package init(sort: PackageSort, value: String, rowID: Int64) {
        self.sort = sort
        self.value = value
        self.rowID = rowID
    }

    /// Base64url of `v1|<field>|<a|d>|<rowID>|<value>`.
    package var token: String {
        let plain = "v1|\(sort.field.rawValue)|\(sort.descending ? "d" : "a")|\(rowID)|\(value)"
        return Data(plain.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Parses a token made by `token`; nil when malformed.
    package init?(token: String) {
        var b64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard token.count <= 2048, let data = Data(base64Encoded: b64), let plain = String(data: data, encoding: .utf8) else { return nil }
        let parts = plain.split(separator: "|", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "v1", let field = PackageSort.Field(rawValue: String(parts[1])),
              parts[2] == "a" || parts[2] == "d", let rowID = Int64(parts[3])
        else { return nil }
        self.init(sort: PackageSort(field, descending: parts[2] == "d"), value: String(parts[4]), rowID: rowID)
    }
}

/// One page of packages.
package struct PackagePage: Sendable, Equatable {
    package var items: [PackageState]
    /// Pass back as `after` for the next page; nil on the last page.
    package var nextCursor: PackageCursor?
}

/// One hour of a package's usage, from rollups (old data) or raw snapshots (recent data).
package struct HourlyUsage: Sendable, Equatable {
    package var hour: Date
    package var usedBytesMin: Int64
    package var usedBytesMax: Int64
    package var usedBytesLast: Int64
    package var capacityBytes: Int64
    package var status: PackageStatus
    package var samples: Int
}

/// What `compact` did.
package struct CompactionResult: Sendable, Equatable {
    /// Raw snapshots folded into rollups and deleted.
    package var snapshotsCompacted: Int
    /// Rollup rows written or merged.
    package var rollupsWritten: Int
    /// Rollups older than their retention, deleted.
    package var rollupsDeleted: Int
    /// Poll-run records older than their retention, deleted.
    package var pollRunsDeleted: Int
    /// Attempts of delivered, failed or dead deliveries older than their retention, deleted.
    package var deliveryAttemptsDeleted: Int = 0
    /// Audit entries older than their retention (400 days), deleted.
    package var auditEntriesDeleted: Int = 0
}

/// A source claimed by a replica for one poll.
package struct SourceClaim: Sendable, Equatable {
    package var config: SourceConfig
    /// When it is due next (one interval on).
    package var nextPollAt: Date
}
