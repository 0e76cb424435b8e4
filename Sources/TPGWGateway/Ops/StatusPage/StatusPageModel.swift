import Foundation
import TPGWCore

/// Everything the status page (`GET /`) shows, as plain values; the app fills it from its views.
package struct StatusPageModel: Sendable, Equatable {
    /// Remaining capacity of one region over all accounts.
    struct Region: Sendable, Equatable {
        var name: String
        var capacityBytes: Int64
        var remainingBytes: Int64
    }

    /// One package row of the runway table.
    struct Package: Sendable, Equatable {
        var key: PackageKey
        var policy: PackagePolicy
        var status: PackageStatus
        var capacityBytes: Int64
        var usedBytes: Int64
        var remainingBytes: Int64
        var burnBytesPerHour: Double
        /// When the forecast says it runs out; nil when not burning.
        var exhaustsAt: Date?
        var expiresAt: Date
        /// Bytes forecast to expire unused.
        var unusedAtExpiryBytes: Int64
        /// The runway's range: 10 % / 90 % chance it has run out by then (nil: no quantiles, or never).
        var exhaustsAtP10: Date? = nil
        var exhaustsAtP90: Date? = nil

        var account: String { key.account }
        var region: String { key.region }
    }

    /// One pool (the active packages of a source) with its usage history for the sparkline.
    struct Pool: Sendable, Equatable {
        /// One point of the sparkline: bytes used in the bucket starting at `at` (hourly or daily).
        struct UsagePoint: Sendable, Equatable {
            var at: Date
            var usedBytes: Int64
        }

        var account: String
        var region: String
        var remainingBytes: Int64
        var emptyAt: Date?
        var usage: [UsagePoint]
        /// The source was never read successfully: what is left is unknown, not zero (no "empty" forecast).
        var unknown: Bool = false
        /// What the pool simulation assumed (draw order and off-peak window), e.g. "draws earliest expiry first,
        /// off-peak 16:00-00:00 UTC"; empty when not known.
        var assumes: String = ""
        /// 10 % / 90 % chance the pool is empty by then.
        var emptyAtP10: Date? = nil
        var emptyAtP90: Date? = nil
    }

    /// A firing alert.
    package struct Alert: Sendable, Equatable {
        enum Severity: String, Sendable, Equatable { case critical, warning, info }

        var title: String
        /// What the alert is about: a package key (linked to its row), a pool or a source.
        var subject: String
        var since: Date
        var severity: Severity
        /// The budget's name and the rule kind: the page groups alerts by them.
        var budget: String = ""
        var kind: String = ""
        /// A silence mutes it (its notices are withheld).
        var silenced: Bool = false
        /// Someone acknowledged it (repeats stop until it resolves or escalates).
        var acknowledged: Bool = false
    }

    /// One source's poll health.
    struct Source: Sendable, Equatable {
        enum Status: String, Sendable, Equatable { case ok, failing, stale, open, pending }

        var account: String
        var region: String
        var status: Status
        var lastSuccessAt: Date?
        var lastError: String?
        var latencyMs: Int?
    }

    var regions: [Region]
    /// The runway table's rows; may be only the most urgent ones (see `omittedPackages`).
    var packages: [Package]
    var pools: [Pool]
    /// Every firing alert (the page shows counts by budget and kind, the most urgent few, and folds the rest).
    var alerts: [Alert]
    var sources: [Source]
    /// Seconds between automatic reloads (`<meta http-equiv="refresh">`); 0 turns it off.
    var refreshSeconds: Int
    var generatedAt: Date
    var version: String
    /// Active packages left out of `packages` (the table shows the most urgent ones only).
    var omittedPackages: Int = 0
    /// Burn rate over every active package; nil sums `packages`.
    var totalBurnBytesPerHour: Double? = nil
    /// Bytes forecast to expire unused over every active package; nil sums `packages`.
    var totalUnusedAtExpiryBytes: Int64? = nil
    /// The time span the pool sparklines cover.
    var usageWindowSeconds: Int = 7 * 86_400
}
