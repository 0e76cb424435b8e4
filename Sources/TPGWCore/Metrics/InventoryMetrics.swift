import Foundation

/// The per-package, per-pool and per-source gauges, as values computed from what tpgw knows now.
///
/// The poller (or whoever holds the latest state) builds one of these after each cycle and hands it
/// to `InventoryMetricsCollector`; a scrape renders it without touching upstream or the database.
/// Packages and sources that are left out of the next value disappear from the next scrape, which
/// is how stale packages drop out. Timestamps are written as whole Unix seconds.
package struct InventoryMetrics: Sendable, Equatable {
    /// One package's gauges; labels `provider, account, region, package_id, policy, status`.
    package struct Package: Sendable, Equatable {
        package var key: PackageKey
        package var policy: PackagePolicy
        package var status: PackageStatus
        package var capacityBytes: Int64
        package var usedBytes: Int64
        package var expiresAt: Date
        /// When the forecast says the package runs out; nil writes no exhaustion sample.
        package var exhaustsAt: Date?
        /// The early end of the forecast runway: 10 % chance the package has run out by then; nil writes no sample.
        package var exhaustsAtP10: Date?

        package init(
            key: PackageKey, policy: PackagePolicy, status: PackageStatus, capacityBytes: Int64, usedBytes: Int64,
            expiresAt: Date, exhaustsAt: Date?, exhaustsAtP10: Date? = nil
        ) {
            self.exhaustsAtP10 = exhaustsAtP10
            self.key = key
            self.policy = policy
            self.status = status
            self.capacityBytes = capacityBytes
            self.usedBytes = usedBytes
            self.expiresAt = expiresAt
            self.exhaustsAt = exhaustsAt
        }

        package var remainingBytes: Int64 { max(0, capacityBytes.saturatingSubtracting(usedBytes)) }
    }

    /// One pool's gauges (the active packages of a source); labels `provider, account, region`.
    package struct Pool: Sendable, Equatable {
        package var source: SourceID
        package var remainingBytes: Int64
        package var activePackages: Int
        /// When the pool is forecast to run empty; nil (no burn) writes no sample.
        package var emptyAt: Date?
        /// 10 % chance the pool is empty by then; nil writes no sample.
        package var emptyAtP10: Date?

        package init(source: SourceID, remainingBytes: Int64, activePackages: Int, emptyAt: Date?, emptyAtP10: Date? = nil) {
            self.emptyAtP10 = emptyAtP10
            self.source = source
            self.remainingBytes = remainingBytes
            self.activePackages = activePackages
            self.emptyAt = emptyAt
        }
    }

    /// One source's poll health; labels `provider, account, region`.
    package struct Source: Sendable, Equatable {
        package var source: SourceID
        /// Whether the last poll succeeded.
        package var up: Bool
        package var lastSuccessAt: Date?
        package var consecutiveFailures: Int
        /// How long the last poll took; nil before the first poll.
        package var lastPollDuration: Duration?

        package init(source: SourceID, up: Bool, lastSuccessAt: Date?, consecutiveFailures: Int, lastPollDuration: Duration?) {
            self.source = source
            self.up = up
            self.lastSuccessAt = lastSuccessAt
            self.consecutiveFailures = consecutiveFailures
            self.lastPollDuration = lastPollDuration
        }
    }

    package var packages: [Package]
    package var pools: [Pool]
    package var sources: [Source]

    package init(packages: [Package] = [], pools: [Pool] = [], sources: [Source] = []) {
        self.packages = packages
        self.pools = pools
        self.sources = sources
    }

    static let packageLabels = ["provider", "account", "region", "package_id", "policy", "status"]
    static let sourceLabels = ["provider", "account", "region"]

    static let packageColumns: [MetricTable.Column] = [
        .init(name: "tpgw_package_capacity_bytes", help: "Capacity of the traffic package in bytes."),
        .init(name: "tpgw_package_used_bytes", help: "Bytes of the traffic package used so far."),
        .init(name: "tpgw_package_remaining_bytes", help: "Bytes left in the traffic package."),
        .init(name: "tpgw_package_expiry_timestamp_seconds", help: "When the traffic package expires, as a Unix timestamp."),
        .init(
            name: "tpgw_package_exhaustion_timestamp_seconds",
            help: "When the traffic package is forecast to run out (median), as a Unix timestamp."),
        .init(
            name: "tpgw_package_exhaustion_p10_timestamp_seconds",
            help: "The early end of the forecast runway: 10% chance the traffic package has run out by then, as a Unix timestamp."),
    ]

    static let poolColumns: [MetricTable.Column] = [
        .init(name: "tpgw_pool_remaining_bytes", help: "Bytes left across the active packages of a source."),
        .init(name: "tpgw_pool_active_packages", help: "Number of active packages in the pool of a source."),
        .init(
            name: "tpgw_pool_empty_timestamp_seconds",
            help: "When the pool of a source is forecast to run empty (median), as a Unix timestamp."),
        .init(
            name: "tpgw_pool_empty_p10_timestamp_seconds",
            help: "10% chance the pool of a source has run empty by then (high-demand scenario), as a Unix timestamp."),
    ]

    static let sourceColumns: [MetricTable.Column] = [
        .init(name: "tpgw_source_up", help: "1 if the last poll of the source succeeded, 0 otherwise."),
        .init(name: "tpgw_source_last_success_timestamp_seconds", help: "When the source was last polled successfully, as a Unix timestamp."),
        .init(name: "tpgw_source_consecutive_failures", help: "Failed polls of the source since its last success."),
        .init(name: "tpgw_source_last_poll_duration_seconds", help: "How long the last poll of the source took."),
    ]

    /// Appends the package, pool and source families (families without samples are left out).
    package func write(into writer: inout PrometheusTextWriter) {
        var packageTable = MetricTable(labelNames: Self.packageLabels, columns: Self.packageColumns, reservingRows: packages.count)
        for package in packages {
            packageTable.append(
                labelValues: [
                    package.key.provider, package.key.account, package.key.region, package.key.id,
                    package.policy.rawValue, package.status.rawValue,
                ],
                values: [
                    Double(package.capacityBytes), Double(package.usedBytes), Double(package.remainingBytes),
                    Self.seconds(package.expiresAt), Self.seconds(package.exhaustsAt), Self.seconds(package.exhaustsAtP10),
                ])
        }
        packageTable.write(into: &writer)

        var poolTable = MetricTable(labelNames: Self.sourceLabels, columns: Self.poolColumns, reservingRows: pools.count)
        for pool in pools {
            poolTable.append(
                labelValues: [pool.source.provider, pool.source.account, pool.source.region],
                values: [Double(pool.remainingBytes), Double(pool.activePackages), Self.seconds(pool.emptyAt), Self.seconds(pool.emptyAtP10)])
        }
        poolTable.write(into: &writer)

        var sourceTable = MetricTable(labelNames: Self.sourceLabels, columns: Self.sourceColumns, reservingRows: sources.count)
        for source in sources {
            let duration = source.lastPollDuration?.timeInterval
            sourceTable.append(
                labelValues: [source.source.provider, source.source.account, source.source.region],
                values: [
                    source.up ? 1 : 0, Self.seconds(source.lastSuccessAt), Double(source.consecutiveFailures), duration ?? .nan,
                ])
        }
        sourceTable.write(into: &writer)
    }

    private static func seconds(_ date: Date?) -> Double {
        guard let date else { return .nan }
        return date.timeIntervalSince1970.rounded(.down)
    }
}
