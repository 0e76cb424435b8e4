import Foundation
import TPGWCore
import TPGWHTTPClient
import TPGWStore
import TPGWGateway

/// Builders for alerting tests: packages, channels and budgets in a test schema, engines and dispatchers.
package enum AlertFixtures {
    package static let t0 = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21
    package static let source = SourceID(account: "prod", region: "bj")
    package static let gib: Int64 = 1 << 30

    package static func key(_ id: String = "tp-1", region: String = "bj") -> PackageKey {
        PackageKey(provider: "bce", account: "prod", region: region, id: id)
    }

    package static func package(
        _ id: String = "tp-1", used: Int64, capacity: Int64 = 100 << 30, status: PackageStatus = .active, region: String = "bj",
        expiresIn days: Double = 30, now: Date = t0
    ) -> PackageState {
        PackageState(
            key: key(id, region: region), policy: .fullTime, status: status, capacityBytes: capacity, usedBytes: used,
            createdAt: now.addingTimeInterval(-86400 * 10), activatedAt: now.addingTimeInterval(-86400 * 10),
            expiresAt: now.addingTimeInterval(days * 86400), observedAt: now)
    }

    /// A package at `ratio` of 100 GiB used.
    package static func package(_ id: String = "tp-1", ratio: Double, region: String = "bj") -> PackageState {
        package(id, used: Int64(ratio * Double(100 << 30)), region: region)
    }

    @discardableResult
    package static func channel(_ store: PostgresStore, format: ChannelFormat = .json, url: String, secret: String? = "whsec-test-0123456789",
                        language: String = "en") async throws -> ChannelRecord {
        try await store.insertChannel(ChannelRecord(
            id: "chn_" + UUID().uuidString.prefix(8).lowercased(), name: "test", format: format.rawValue, url: url, secret: secret,
            language: language))
    }

    @discardableResult
    package static func budget(_ store: PostgresStore, rules: [AlertRule], channels: [String], scope: BudgetScope = BudgetScope(),
                       repeatHours: Double = 24, name: String = "runway", groupWait: Double = 0,
                       groupInterval: Double = 0) async throws -> String {
        // Tests of other behaviour send at once (no grouping delay); the grouping tests pass the timings they test.
        let budget = Budget(name: name, scope: scope, rules: rules, channels: channels, repeatIntervalHours: repeatHours,
                            groupWaitSeconds: groupWait, groupIntervalSeconds: groupInterval)
        let id = BudgetRoutes.newID()
        _ = try await store.insertBudget(id: id, name: name, body: BudgetRoutes.body(budget))
        return id
    }

    /// An engine whose inputs the test sets.
    package static func engine(_ store: PostgresStore, inputs: LockedValue<AlertInputs>) -> AlertEngine {
        AlertEngine(store: store, logger: TestDatabase.testLogger("test.engine")) { inputs.value }
    }

    package static func dispatcher(
        _ store: PostgresStore, client: HTTPClient, clock: ManualDate, owner: String = "d1", timeout: Duration = .seconds(5),
        lease: TimeInterval = 60, batch: Int = 200, logger: Logger = TestDatabase.testLogger("test.dispatcher")
    ) -> DeliveryDispatcher {
        DeliveryDispatcher(
            store: store, client: client, configuration: configuration(owner: owner, timeout: timeout, lease: lease, batch: batch),
            logger: logger, now: { clock.now }, jitter: { 0 })
    }

    /// A dispatcher on a manual clock: its idle tick, claim renewals and record batching wait on `clock`, and its
    /// `now` is `origin` plus how far the clock moved.
    package static func dispatcher(
        _ store: PostgresStore, client: HTTPClient, clock: ManualClock, origin: Date = t0, owner: String = "d1",
        timeout: Duration = .seconds(5), lease: TimeInterval = 60, batch: Int = 200,
        logger: Logger = TestDatabase.testLogger("test.dispatcher"), metrics: GatewayMetrics? = nil
    ) -> DeliveryDispatcher {
        DeliveryDispatcher(
            store: store, client: client, configuration: configuration(owner: owner, timeout: timeout, lease: lease, batch: batch),
            logger: logger, metrics: metrics, clock: clock, now: { clock.date(from: origin) }, jitter: { 0 })
    }

    /// A dispatcher's configuration for tests: loopback receivers allowed.
    package static func configuration(owner: String, timeout: Duration, lease: TimeInterval, batch: Int) -> DeliveryDispatcher.Configuration {
        var c = DeliveryDispatcher.Configuration(owner: owner)
        c.timeout = timeout
        c.lease = lease
        c.batchSize = batch
        c.networkPolicy = loopbackAllowed
        return c
    }

    /// Test receivers listen on 127.0.0.1, which the default policy refuses.
    package static let loopbackAllowed = NetworkPolicy(allowed: [IPNetwork("127.0.0.0/8")!])

    /// Event kinds of every delivery, oldest first.
    package static func deliveryEvents(_ store: PostgresStore) async throws -> [String] {
        try await store.deliveries(limit: 10_000).reversed().map(\.eventKind)
    }
}
