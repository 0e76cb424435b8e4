import Foundation

/// Totals of one group of packages (one region, account, policy or status, or everything).
///
/// Bytes, burn, exhaustion, expiry and waste count only *active* packages (what can still be drawn);
/// `packageCount` and `statusCounts` count every package in the group (`unknown` ones too). Byte totals
/// saturate at `Int64.max` rather than overflow.
package struct SummaryGroup: Sendable, Equatable, Codable {
    /// Packages per status.
    package struct StatusCounts: Sendable, Equatable, Codable {
        package var active = 0
        package var usedUp = 0
        package var expired = 0
        package var released = 0
        /// Packages whose upstream status tpgw does not know.
        package var unknown = 0
        /// Tencent packages ended early (refund, deletion).
        package var refunded = 0
        package var deleted = 0

        package init(active: Int = 0, usedUp: Int = 0, expired: Int = 0, released: Int = 0, unknown: Int = 0) {
            self.active = active
            self.usedUp = usedUp
            self.expired = expired
            self.released = released
            self.unknown = unknown
        }

        enum CodingKeys: String, CodingKey { case active, usedUp, expired, released, refunded, deleted, unknown }

        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            active = try c.decode(Int.self, forKey: .active)
            usedUp = try c.decode(Int.self, forKey: .usedUp)
            expired = try c.decode(Int.self, forKey: .expired)
            released = try c.decode(Int.self, forKey: .released)
            unknown = try c.decodeIfPresent(Int.self, forKey: .unknown) ?? 0
            refunded = try c.decodeIfPresent(Int.self, forKey: .refunded) ?? 0
            deleted = try c.decodeIfPresent(Int.self, forKey: .deleted) ?? 0
        }

        mutating func add(_ status: PackageStatus) {
            switch status {
            case .active: active += 1
            case .usedUp: usedUp += 1
            case .expired: expired += 1
            case .released: released += 1
            case .refunded: refunded += 1
            case .deleted: deleted += 1
            case .unknown: unknown += 1
            }
        }
    }

    /// One pool inside a region or account group.
    package struct Pool: Sendable, Equatable, Codable {
        package var source: SourceID
        package var remainingBytes: Int64
        package var activePackages: Int
        package var burnBytesPerHour: Double
        package var nextExhaustion: PackageTime?
        package var emptyAt: Date?
        /// 10 % chance the pool is empty by then (high-demand scenario), and 90 % chance; nil beyond the horizon.
        package var emptyAtP10: Date?
        package var emptyAtP90: Date?
        /// The source was never read successfully: no inventory, no forecast (never "empty").
        package var unknown: Bool
        /// The draw order within a kind the simulation assumed (Tencent documents none: configurable per account).
        package var drawOrder: DrawOrder = .earliestDeadlineFirst
        /// The off-peak window the simulation assumed, `HH:MM-HH:MM UTC`.
        package var offPeakWindow: String = OffPeakWindow.bce.description

        package init(_ f: PoolForecast) {
            drawOrder = f.rules.drawOrder
            offPeakWindow = f.rules.offPeak.description
            source = f.source
            remainingBytes = f.remainingBytes
            activePackages = f.activePackages
            burnBytesPerHour = f.burnBytesPerHour
            nextExhaustion = f.nextExhaustion
            emptyAt = f.emptyAt
            emptyAtP10 = f.emptyAtP10
            emptyAtP90 = f.emptyAtP90
            unknown = f.unknown
        }

        enum CodingKeys: String, CodingKey {
            case source, remainingBytes, activePackages, burnBytesPerHour, nextExhaustion, emptyAt, emptyAtP10, emptyAtP90, unknown, drawOrder
            case offPeakWindow
        }

        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            source = try c.decode(SourceID.self, forKey: .source)
            remainingBytes = try c.decode(Int64.self, forKey: .remainingBytes)
            activePackages = try c.decode(Int.self, forKey: .activePackages)
            burnBytesPerHour = try c.decode(Double.self, forKey: .burnBytesPerHour)
            nextExhaustion = try c.decodeIfPresent(PackageTime.self, forKey: .nextExhaustion)
            emptyAt = try c.decodeRFC3339IfPresent(forKey: .emptyAt)
            emptyAtP10 = try c.decodeRFC3339IfPresent(forKey: .emptyAtP10)
            emptyAtP90 = try c.decodeRFC3339IfPresent(forKey: .emptyAtP90)
            unknown = try c.decodeIfPresent(Bool.self, forKey: .unknown) ?? false
            drawOrder = try c.decodeIfPresent(DrawOrder.self, forKey: .drawOrder) ?? .earliestDeadlineFirst
            offPeakWindow = try c.decodeIfPresent(String.self, forKey: .offPeakWindow) ?? OffPeakWindow.bce.description
        }

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(source, forKey: .source)
            try c.encode(remainingBytes, forKey: .remainingBytes)
            try c.encode(activePackages, forKey: .activePackages)
            try c.encode(burnBytesPerHour, forKey: .burnBytesPerHour)
            try c.encode(nextExhaustion, forKey: .nextExhaustion)
            try c.encodeRFC3339(emptyAt, forKey: .emptyAt)
            try c.encodeRFC3339(emptyAtP10, forKey: .emptyAtP10)
            try c.encodeRFC3339(emptyAtP90, forKey: .emptyAtP90)
            try c.encode(unknown, forKey: .unknown)
            try c.encode(drawOrder, forKey: .drawOrder)
            try c.encode(offPeakWindow, forKey: .offPeakWindow)
        }
    }

    /// The group's value of the grouping dimension (`bj`, `prod`, `offPeak`, `active`), or `all` for the total.
    package var key: String
    package var capacityBytes: Int64 = 0
    package var usedBytes: Int64 = 0
    package var remainingBytes: Int64 = 0
    package var packageCount = 0
    package var statusCounts = StatusCounts()
    /// Sum of the active packages' burn (bytes per wall-clock hour, daily average).
    package var burnBytesPerHour = 0.0
    /// The active package forecast to run out first (before its expiry).
    package var earliestExhaustion: PackageTime?
    /// The active package that expires first.
    package var earliestExpiry: PackageTime?
    /// Bytes the active packages are forecast to leave unused at expiry.
    package var unusedAtExpiryBytes: Int64 = 0
    /// For region and account groups (and the total): the earliest pool `emptyAt` among the group's pools.
    package var poolEmptyAt: Date?
    /// For region and account groups (and the total): the group's pools; empty otherwise.
    package var pools: [Pool] = []

    package init(key: String) {
        self.key = key
    }

    enum CodingKeys: String, CodingKey {
        case key, capacityBytes, usedBytes, remainingBytes, packageCount, statusCounts, burnBytesPerHour
        case earliestExhaustion, earliestExpiry, unusedAtExpiryBytes, poolEmptyAt, pools
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        capacityBytes = try c.decode(Int64.self, forKey: .capacityBytes)
        usedBytes = try c.decode(Int64.self, forKey: .usedBytes)
        remainingBytes = try c.decode(Int64.self, forKey: .remainingBytes)
        packageCount = try c.decode(Int.self, forKey: .packageCount)
        statusCounts = try c.decode(StatusCounts.self, forKey: .statusCounts)
        burnBytesPerHour = try c.decode(Double.self, forKey: .burnBytesPerHour)
        earliestExhaustion = try c.decodeIfPresent(PackageTime.self, forKey: .earliestExhaustion)
        earliestExpiry = try c.decodeIfPresent(PackageTime.self, forKey: .earliestExpiry)
        unusedAtExpiryBytes = try c.decode(Int64.self, forKey: .unusedAtExpiryBytes)
        poolEmptyAt = try c.decodeRFC3339IfPresent(forKey: .poolEmptyAt)
        pools = try c.decode([Pool].self, forKey: .pools)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(capacityBytes, forKey: .capacityBytes)
        try c.encode(usedBytes, forKey: .usedBytes)
        try c.encode(remainingBytes, forKey: .remainingBytes)
        try c.encode(packageCount, forKey: .packageCount)
        try c.encode(statusCounts, forKey: .statusCounts)
        try c.encode(burnBytesPerHour, forKey: .burnBytesPerHour)
        try c.encode(earliestExhaustion, forKey: .earliestExhaustion)
        try c.encode(earliestExpiry, forKey: .earliestExpiry)
        try c.encode(unusedAtExpiryBytes, forKey: .unusedAtExpiryBytes)
        try c.encodeRFC3339(poolEmptyAt, forKey: .poolEmptyAt)
        try c.encode(pools, forKey: .pools)
    }
}
