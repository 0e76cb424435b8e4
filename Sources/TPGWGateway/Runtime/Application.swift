import Foundation
import TPGWBCE
import TPGWCore
import TPGWHTTP
import TPGWHTTPClient
import TPGWStore
import TPGWTencent

/// The gateway's components, built from configuration and wired together by `Gateway.make`, the composition root.
package final class Application: Sendable {
    let configuration: GatewayConfiguration
    let logger: Logger
    /// The one clock every service waits on (`ContinuousClock` in `tpgw serve`, a manual clock in tests).
    let clock: AnyClock
    /// Wall time for what the database decides (due polls, leases, cut-offs, forecasts); moves with `clock` in tests.
    let now: @Sendable () -> Date
    let pool: ConnectionPool
    package let store: PostgresStore
    package let migrator: Migrator
    let httpClient: HTTPClient
    let bce: BCEClient
    let tencent: TencentClient
    /// Every cloud the poller, purchases and quotes go through, by provider name (`bce`, `tencent`).
    let providers: [String: any CloudProvider]
    /// What each account may buy (regions and its provider's profile).
    let purchaseAccounts: [String: PurchaseRequest.Account]
    /// Per account: what its pool forecasts assume (off-peak window, draw order).
    let poolRules: [String: PoolRules]
    let keys: KeyRing
    package let views: ViewStore
    /// Per active package, the compact state its probabilistic forecast is made from (kept up to date by rebuilds).
    package let forecastFeatures: ForecastFeatureStore
    /// Backtests of the forecaster on the stored history (`GET /v1/forecast/accuracy`, `tpgw forecast backtest`).
    package let forecastAccuracy: ForecastAccuracyRunner
    let router: Router
    let ops: OpsRuntime
    /// Reads every provider's sources (metered); its breakers feed the sources' status.
    let sourceReader: any SourceReader
    /// Failed authentications per client address, shared by every route and the server's head gate.
    let authFailures: FailedAuthLimiter
    private let authenticator: Authenticator

    /// Builds every component; opens no connection yet. Reads no environment variable: secrets were read by
    /// `GatewayConfiguration.load` (see `Gateway.make`).
    init(configuration: GatewayConfiguration, clock: AnyClock, now: @escaping @Sendable () -> Date, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.now = now
        authFailures = FailedAuthLimiter(rate: configuration.failedAuthPerSecond, burst: configuration.failedAuthBurst)
        let database = PostgresConfiguration(url: configuration.databaseURL)
        if let problem = database.validate() { throw ConfigurationError(problems: ["databaseURL: \(problem)"]) }
        pool = ConnectionPool(.init(database: database), logger: logger.with(["component": "db"]))
        store = PostgresStore(pool: pool, logger: logger)
        migrator = Migrator(pool: pool, directory: configuration.migrationsDir, logger: logger.with(["component": "migrator"]))
        // Every Tencent source shares one domain: one connection per source read at once (TencentClient.connectionsPerHost).
        httpClient = HTTPClient(configuration: .init(maxConnectionsPerHost: TencentClient.connectionsPerHost))
        // Both clouds' clients sign, retry and keep their breakers on the gateway's one clock and `now`.
        let sleep: @Sendable (Duration) async throws -> Void = { try await clock.sleep(for: $0) }
        bce = BCEClient(httpClient: httpClient, logger: logger.with(["component": "bce"]), now: now, sleep: sleep)
        tencent = TencentClient(httpClient: httpClient, logger: logger.with(["component": "tencent"]), now: now, sleep: sleep)
        var endpoints: [String: [String: BCEEndpoint]] = [:]
        var tencentAccounts: [String: (credentials: TencentCredentials, baseURL: String)] = [:]
        var purchaseAccounts: [String: PurchaseRequest.Account] = [:]
        var poolRules: [String: PoolRules] = [:]
        for account in configuration.accounts {
            guard let secret = account.secret, !secret.isEmpty else {
                throw ConfigurationError(problems: ["account \(account.name): secret access key not available"])
            }
            let profile: ProviderProfile = account.provider == "tencent" ? .tencent : .bce
            purchaseAccounts[account.name] = PurchaseRequest.Account(regions: account.regions.sorted(), profile: profile)
            poolRules[account.name] = account.poolRules(defaults: profile.poolRules)
            if account.provider == "tencent" {
                tencentAccounts[account.name] = (
                    TencentCredentials(secretID: account.accessKeyId, secretKey: secret), account.endpoint ?? TencentEndpoint.defaultBaseURL)
                continue
            }
            let credentials = BCECredentials(accessKeyID: account.accessKeyId, secretAccessKey: secret)
            for region in account.regions {
                endpoints[account.name, default: [:]][region] = BCEEndpoint(
                    account: account.name, region: region, credentials: credentials, baseURL: account.endpoints[region])
            }
        }
        let providers: [String: any CloudProvider] = [
            "bce": BCEProvider(client: bce, endpoints: endpoints),
            "tencent": TencentProvider(client: tencent, accounts: tencentAccounts),
        ]
        self.providers = providers
        self.purchaseAccounts = purchaseAccounts
        self.poolRules = poolRules
        let ops = OpsRuntime()
        self.ops = ops
        let reader = MeteredSourceReader(
            inner: ProviderSourceReader(providers.mapValues { $0 as any SourceReader }),
            durations: ops.metrics.pollDuration, skipped: ops.metrics.upstreamPackagesSkipped)
        sourceReader = reader
        let store = store
        keys = KeyRing(load: {
            try await store.apiKeys(includeRevoked: false).map {
                StoredAPIKey(id: $0.id, name: $0.name, keyHash: $0.keyHash, scopes: $0.scopes.compactMap(Scope.init(rawValue:)),
                             createdAt: $0.createdAt, lastUsedAt: $0.lastUsedAt, revokedAt: $0.revokedAt)
            }
        })
        authenticator = Authenticator(
            keys: keys, limiter: RateLimiter(rate: configuration.rateLimitPerSecond, burst: configuration.rateLimitBurst), failures: authFailures)
        let configured = configuration.sources
        let sourceRules = Dictionary(
            configured.map { ($0.id, poolRules[$0.id.account] ?? .bce) }, uniquingKeysWith: { a, _ in a })
        let features = ForecastFeatureStore(
            read: { source, since in try await store.forecastObservations(source: source, since: since) },
            loadStored: { source, ids in try await store.storedForecastFeatures(source: source, ids: ids).mapValues(\.data) })
        forecastFeatures = features
        forecastAccuracy = ForecastAccuracyRunner(store: store, poolRules: poolRules)
        views = ViewStore(
            load: { sources in
                do {
                    let at = now()
                    return try await Application.loadViewInput(
                        store: store, features: features, configured: configured, sources: sources,
                        breakerOpen: { reader.breakerOpen($0, now: at) }, now: at, rules: sourceRules)
                }
                catch let error as PostgresError { throw Self.viewError(error) }
            },
            probe: {
                do { return try await store.sourceVersions() } catch let error as PostgresError { throw Self.viewError(error) }
            },
            now: now, prepare: { $0.prerenderResponses() }, logger: logger.with(["component": "view"]))
        router = Router()
    }

    /// What a view is built from: latest package states, their forecast features brought up to date, and source
    /// health, for every source or only for `sources` (one query per source, concurrently).
    /// - Parameter rules: per source, what its forecasts and pool simulation assume (Baidu's rules when absent).
    package static func loadViewInput(
        store: PostgresStore, features: ForecastFeatureStore, configured: [SourceConfig], sources: Set<SourceID>? = nil,
        breakerOpen: @Sendable (SourceID) -> Bool = { _ in false }, now: Date, rules: [SourceID: PoolRules] = [:]
    ) async throws -> GatewayView.Input {
        async let health = store.sources()
        var packages: [PackageState] = []
        if let sources {
            try await withThrowingTaskGroup(of: [PackageState].self) { group in
                for source in sources {
                    group.addTask { try await store.latestPackages(source: source) }
                }
                for try await part in group { packages.append(contentsOf: part) }
            }
        } else {
            packages = try await store.latestPackages()
        }
        let folded = try await features.refresh(packages: packages, sources: sources, now: now)
        return GatewayView.Input(
            packages: packages, features: folded,
            sources: sourceStatuses(configured: configured, health: try await health, breakerOpen: breakerOpen, now: now), rules: rules)
    }

    /// What the view store is told when it cannot read the database: `AppError(.unavailable)` when the database is
    /// gone (refused, lost, shutting down, pool closed), which makes the API's read views answer 503 until a probe
    /// succeeds; anything else (a busy pool, a bug) as it is, so the last view keeps being served.
    static func viewError(_ error: PostgresError) -> any Error {
        error.isConnectionProblem || error.code == .poolClosed ? error.appError : error
    }

    /// Joins configured sources with their stored health and this replica's breakers (`SourceStatus.derive`).
    package static func sourceStatuses(
        configured: [SourceConfig], health: [SourceHealth], breakerOpen: (SourceID) -> Bool = { _ in false }, now: Date
    ) -> [SourceStatus] {
        let byID = Dictionary(health.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return configured.map { SourceStatus.derive($0, health: byID[$0.id], breakerOpen: breakerOpen($0.id), now: now) }
    }

    /// Registers every route and the middleware chain.
    func registerRoutes(refresh: @escaping @Sendable (String?, String?) async throws -> [RefreshOutcome]) {
        registerOpsRoutes()
        router.add(middleware: APIErrorMiddleware())
        HealthRoutes(store: store, migrator: migrator, keys: keys).register(on: router)
        PackageRoutes(views: views, store: store, auth: auth, now: now).register(on: router)
        SummaryRoutes(views: views, auth: auth, refresh: refresh).register(on: router)
        PurchaseRoutes(executor: purchaseExecutor, auth: auth).register(on: router)
        ForecastRoutes(runner: forecastAccuracy, auth: auth, now: now).register(on: router)
        registerAlertRoutes(auth: auth)
    }

    /// The one purchase path, shared by `POST /v1/packages` and the reconciler.
    var purchaseExecutor: PurchaseExecutor {
        var executor = PurchaseExecutor(
            store: store, providers: providers, accounts: purchaseAccounts, views: views, logger: logger.with(["component": "purchase"]))
        executor.poolRules = poolRules
        executor.now = now
        executor.settleAfter = TimeInterval(configuration.purchaseSettleSeconds)
        return executor
    }

    /// The reconciler's settings from the configuration.
    var purchaseReconcilerConfiguration: PurchaseReconciler.Configuration {
        var c = PurchaseReconciler.Configuration()
        c.period = .seconds(configuration.purchaseReconcileSeconds)
        c.giveUpAfter = TimeInterval(configuration.purchaseGiveUpMinutes * 60)
        return c
    }

    /// The background settler of pending purchases.
    func makePurchaseReconciler(_ configuration: PurchaseReconciler.Configuration = .init()) -> PurchaseReconciler {
        PurchaseReconciler(executor: purchaseExecutor, configuration: configuration, logger: logger.with(["component": "purchase-reconciler"]))
    }

    /// The one authenticator: the key ring, the per-key rate limit and the per-address failure limit, shared by
    /// every route and the head gate (one of each per process, so a key's budget is not split).
    var auth: Authenticator { authenticator }

    /// The HTTP server configuration from `listen` and the defaults.
    func serverConfiguration() throws -> HTTPServer.Configuration {
        guard let address = ListenAddress(configuration.listen) else {
            throw ConfigurationError(problems: ["listen: expected host:port"])
        }
        var c = HTTPServer.Configuration(host: address.host, port: address.port)
        c.accessLog = configuration.accessLog
        return c
    }

    /// Stops background work and closes connections.
    package func shutdown() async {
        await pool.close()
        await httpClient.shutdown()
    }
}
