import Foundation
import TPGWCore
import TPGWCrypto
import TPGWStore

/// tpgw's configuration: a JSON file with `TPGW_*` environment overrides.
///
/// Unknown keys are errors (a typo must not silently do nothing), and `validate` reports every problem at once.
package struct GatewayConfiguration: Sendable {
    /// Today's defaults (what `load` starts from; tests and benchmarks set the fields they need).
    package init() {}

    package var listen: String = "0.0.0.0:8080"
    package var databaseURL: String = "postgres://tpgw@localhost:5432/tpgw"
    package var pollIntervalSeconds: Int = 300
    var publicURL: String?
    package var logLevel: LogLevel = .info
    var accessLog: Bool = true
    package var migrationsDir: String = "./migrations"
    var metricsPublic: Bool = true
    var statusPagePublic: Bool = true
    var statusPageRefreshSeconds: Int = 60
    package var rateLimitPerSecond: Double = 50
    package var rateLimitBurst: Double = 100
    /// Seconds between passes of the purchase reconciler (settles purchases left pending).
    package var purchaseReconcileSeconds: Int = 60
    /// Minutes after which a purchase still pending becomes `unknown` instead of being re-sent upstream; below
    /// BCE's 24 h clientToken retention, after which a re-sent create could buy twice.
    var purchaseGiveUpMinutes: Int = 360
    /// Seconds after an ambiguous create (a provider without an idempotency token, Tencent) during which a listing
    /// of the region without the packages is not yet final; after it, nothing found settles the purchase `failed`.
    var purchaseSettleSeconds: Int = 600
    /// Failed authentications per client address: tokens regained a second, and the burst.
    var failedAuthPerSecond: Double = 1
    var failedAuthBurst: Double = 20
    package var accounts: [AccountConfiguration] = []
    /// Names this replica in poll claims and delivery claims (`TPGW_REPLICA_ID`; default host-pid-random, made once
    /// when the configuration is loaded).
    var replicaID: String = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(Crypto.randomHex(bytes: 3))"
    /// How long a delivery claim holds before another replica may send the row (`TPGW_DELIVERY_LEASE_SECONDS`).
    var deliveryLeaseSeconds: Double = 60
    /// Time allowed for one webhook send (`TPGW_DELIVERY_TIMEOUT_SECONDS`).
    var deliveryTimeoutSeconds: Double = 10

    /// Maintenance: how often it runs, and how long raw snapshots, hourly rollups, poll runs and finished
    /// deliveries' attempts are kept.
    var maintenanceIntervalMinutes: Int = 60
    var retentionRawSnapshotDays: Int = 90
    var retentionHourlyRollupDays: Int = 400
    var retentionPollRunDays: Int = 30
    var retentionDeliveryAttemptDays: Int = 30

    var retention: PostgresStore.Retention {
        .init(rawSnapshots: TimeInterval(retentionRawSnapshotDays) * 86400, hourlyRollups: TimeInterval(retentionHourlyRollupDays) * 86400,
              pollRuns: TimeInterval(retentionPollRunDays) * 86400, deliveryAttempts: TimeInterval(retentionDeliveryAttemptDays) * 86400)
    }

    /// CIDRs that alert webhooks may reach although they are internal (loopback, RFC 1918, link-local, ...).
    /// Empty by default: a channel URL resolving to an internal address is refused.
    var webhookAllowedNetworks: [String] = []

    /// The webhook network policy from `webhookAllowedNetworks` (invalid entries are reported by `validate`).
    var webhookPolicy: NetworkPolicy { NetworkPolicy.parse(webhookAllowedNetworks).policy }

    /// Reads and validates the configuration from a file (optional) and the environment, and reads every account's
    /// secret: the only place the gateway reads environment variables (`Gateway.make` reads none).
    /// - Throws: `ConfigurationError` listing every problem.
    package static func load(path: String?, environment: [String: String]) throws -> GatewayConfiguration {
        var problems: [String] = []
        var config = GatewayConfiguration()
        if let path {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError(problems: ["cannot read configuration file \(path)"])
            }
            guard let value = try? JSONValue.parse(Array(data)) else {
                throw ConfigurationError(problems: ["\(path): not valid JSON"])
            }
            guard let dict = value.objectValue else {
                throw ConfigurationError(problems: ["\(path): the top level must be a JSON object"])
            }
            config.apply(dict, problems: &problems)
        }
        config.applyEnvironment(environment, problems: &problems)
        problems += config.validate(environment: environment)
        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
        for i in config.accounts.indices {
            guard let secret = config.accounts[i].resolveSecret(environment: environment) else {
                problems.append("accounts[\(i)]: secret access key not available")
                continue
            }
            config.accounts[i].secret = secret
        }
        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
        return config
    }

    /// Structural checks beyond types: ranges, duplicates, resolvable secrets.
    func validate(environment: [String: String]) -> [String] {
        var problems: [String] = []
        if ListenAddress(listen) == nil { problems.append("listen: expected host:port, got \"\(listen)\"") }
        if !(5...86400).contains(pollIntervalSeconds) { problems.append("pollIntervalSeconds: must be between 5 and 86400") }
        if let publicURL, URL(string: publicURL)?.scheme == nil { problems.append("publicURL: not an absolute URL") }
        if rateLimitPerSecond <= 0 { problems.append("rateLimitPerSecond: must be > 0") }
        if rateLimitBurst < 1 { problems.append("rateLimitBurst: must be >= 1") }
        if !(1...1440).contains(maintenanceIntervalMinutes) { problems.append("maintenanceIntervalMinutes: must be between 1 and 1440") }
        for (key, days) in [("retentionRawSnapshotDays", retentionRawSnapshotDays), ("retentionHourlyRollupDays", retentionHourlyRollupDays),
                            ("retentionPollRunDays", retentionPollRunDays), ("retentionDeliveryAttemptDays", retentionDeliveryAttemptDays)]
        where !(1...3650).contains(days) {
            problems.append("\(key): must be between 1 and 3650 days")
        }
        if retentionHourlyRollupDays < retentionRawSnapshotDays {
            problems.append("retentionHourlyRollupDays: must be at least retentionRawSnapshotDays (rollups are made from raw snapshots)")
        }
        for bad in NetworkPolicy.parse(webhookAllowedNetworks).invalid {
            problems.append("webhookAllowedNetworks: \"\(bad.prefix(60))\" is not a CIDR block (like 10.0.0.0/8 or fd00::/8)")
        }
        if !(1...3600).contains(purchaseReconcileSeconds) { problems.append("purchaseReconcileSeconds: must be between 1 and 3600") }
        if !(5...1200).contains(purchaseGiveUpMinutes) {
            problems.append("purchaseGiveUpMinutes: must be between 5 and 1200 (BCE keeps a clientToken for 24 h)")
        }
        if !(0...86400).contains(purchaseSettleSeconds) { problems.append("purchaseSettleSeconds: must be between 0 and 86400") }
        if failedAuthPerSecond <= 0 { problems.append("failedAuthPerSecond: must be > 0") }
        if failedAuthBurst < 1 { problems.append("failedAuthBurst: must be >= 1") }
        var names = Set<String>()
        for (i, account) in accounts.enumerated() {
            if !names.insert(account.name).inserted { problems.append("accounts[\(i)].name: duplicate account \"\(account.name)\"") }
            problems += account.validate(index: i, environment: environment)
        }
        return problems
    }

    private mutating func apply(_ dict: [String: JSONValue], problems: inout [String]) {
        var reader = JSONObjectReader(dict, path: "", problems: problems)
        defer { problems = reader.problems }
        listen = reader.string("listen") ?? listen
        databaseURL = reader.string("databaseURL") ?? databaseURL
        pollIntervalSeconds = reader.int("pollIntervalSeconds") ?? pollIntervalSeconds
        publicURL = reader.string("publicURL") ?? publicURL
        if let level = reader.string("logLevel") {
            if let parsed = LogLevel(rawValue: level) { logLevel = parsed } else {
                reader.problems.append("logLevel: unknown level \"\(level)\" (one of \(LogLevel.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        accessLog = reader.bool("accessLog") ?? accessLog
        migrationsDir = reader.string("migrationsDir") ?? migrationsDir
        metricsPublic = reader.bool("metricsPublic") ?? metricsPublic
        statusPagePublic = reader.bool("statusPagePublic") ?? statusPagePublic
        statusPageRefreshSeconds = reader.int("statusPageRefreshSeconds") ?? statusPageRefreshSeconds
        rateLimitPerSecond = reader.double("rateLimitPerSecond") ?? rateLimitPerSecond
        rateLimitBurst = reader.double("rateLimitBurst") ?? rateLimitBurst
        maintenanceIntervalMinutes = reader.int("maintenanceIntervalMinutes") ?? maintenanceIntervalMinutes
        retentionRawSnapshotDays = reader.int("retentionRawSnapshotDays") ?? retentionRawSnapshotDays
        retentionHourlyRollupDays = reader.int("retentionHourlyRollupDays") ?? retentionHourlyRollupDays
        retentionPollRunDays = reader.int("retentionPollRunDays") ?? retentionPollRunDays
        retentionDeliveryAttemptDays = reader.int("retentionDeliveryAttemptDays") ?? retentionDeliveryAttemptDays
        if let list = reader.array("webhookAllowedNetworks") {
            webhookAllowedNetworks = list.enumerated().compactMap { i, v in
                if let s = v.stringValue { return s }
                reader.problems.append("webhookAllowedNetworks[\(i)]: expected a string")
                return nil
            }
        }
        purchaseReconcileSeconds = reader.int("purchaseReconcileSeconds") ?? purchaseReconcileSeconds
        purchaseGiveUpMinutes = reader.int("purchaseGiveUpMinutes") ?? purchaseGiveUpMinutes
        purchaseSettleSeconds = reader.int("purchaseSettleSeconds") ?? purchaseSettleSeconds
        failedAuthPerSecond = reader.double("failedAuthPerSecond") ?? failedAuthPerSecond
        failedAuthBurst = reader.double("failedAuthBurst") ?? failedAuthBurst
        if let list = reader.array("accounts") {
            accounts = list.enumerated().compactMap { i, element in
                guard let object = element.objectValue else {
                    reader.problems.append("accounts[\(i)]: expected an object")
                    return nil
                }
                var sub = JSONObjectReader(object, path: "accounts[\(i)].", problems: [])
                let account = AccountConfiguration(reading: &sub)
                reader.problems += sub.problems
                return account
            }
        }
        reader.rejectUnknownKeys()
    }

    private mutating func applyEnvironment(_ env: [String: String], problems: inout [String]) {
        if let v = env["TPGW_LISTEN"] { listen = v }
        if let v = env["TPGW_DATABASE_URL"] { databaseURL = v }
        if let v = env["TPGW_PUBLIC_URL"] { publicURL = v }
        if let v = env["TPGW_MIGRATIONS_DIR"] { migrationsDir = v }
        if let v = env["TPGW_LOG_LEVEL"] {
            if let level = LogLevel(rawValue: v) { logLevel = level } else { problems.append("TPGW_LOG_LEVEL: unknown level \"\(v)\"") }
        }
        if let v = env["TPGW_POLL_INTERVAL_SECONDS"] {
            if let n = Int(v) { pollIntervalSeconds = n } else { problems.append("TPGW_POLL_INTERVAL_SECONDS: not an integer") }
        }
        if let v = env["TPGW_REPLICA_ID"], !v.isEmpty { replicaID = String(v.prefix(100)) }
        if let v = env["TPGW_DELIVERY_LEASE_SECONDS"] {
            if let n = Double(v), n.isFinite { deliveryLeaseSeconds = max(1, n) } else { problems.append("TPGW_DELIVERY_LEASE_SECONDS: not a number") }
        }
        if let v = env["TPGW_DELIVERY_TIMEOUT_SECONDS"] {
            if let n = Double(v), n.isFinite { deliveryTimeoutSeconds = min(max(0.1, n), 300) } else {
                problems.append("TPGW_DELIVERY_TIMEOUT_SECONDS: not a number")
            }
        }
        if let v = env["TPGW_ACCESS_LOG"] { accessLog = !["0", "false", "off", "no"].contains(v.lowercased()) }
    }

    /// Every configured source with its endpoint and effective interval.
    /// One line for `tpgw check-config`.
    package var overview: String { "\(accounts.count) account(s), \(sources.count) source(s)" }

    package var sources: [SourceConfig] {
        accounts.flatMap { account in
            account.regions.map { region in
                SourceConfig(
                    id: SourceID(provider: account.provider, account: account.name, region: region),
                    endpoint: account.endpoint(region: region),
                    pollIntervalSeconds: account.pollIntervalSeconds ?? pollIntervalSeconds)
            }
        }
    }
}

/// Every problem found in a configuration, reported at once.
struct ConfigurationError: Error, CustomStringConvertible {
    var problems: [String]
    var description: String { "invalid configuration:\n" + problems.map { "  - " + $0 }.joined(separator: "\n") }
}
