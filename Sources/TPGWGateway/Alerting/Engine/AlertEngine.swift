import Foundation
import Synchronization
import TPGWCore
import TPGWCrypto
import TPGWStore

/// Evaluates every budget over the current inputs and writes alert transitions together with their outbox rows,
/// in one transaction (the thin shell around ``AlertPass``).
///
/// One replica evaluates at a time (the engine row lock); each keeps the stored alert states in memory and
/// reloads them when another replica has written since (the engine version moved).
package final class AlertEngine: Sendable {
    /// What one pass did.
    package struct Report: Sendable, Equatable {
        package var budgets = 0
        package var written = 0
        package var deliveries = 0
        package var events: [String] = []
    }

    private struct Cache {
        var version: Int64?
        var alerts = StoredAlerts()
        var previousStatuses: [PackageKey: PackageStatus]?
    }

    private let store: PostgresStore
    private let inputs: @Sendable () -> AlertInputs?
    private let logger: Logger
    private let metrics: GatewayMetrics?
    private let onFiring: (@Sendable ([AlertState]) -> Void)?
    private let cache = Mutex(Cache())
    /// Serialises passes inside this process (the database lock serialises replicas).
    private let running = KeyedConcurrencyLimiter(limit: 1)

    /// - Parameter inputs: the current packages, forecasts, pools and sources (from the view); nil while there is
    ///   nothing trustworthy to evaluate (no view built yet), so an empty view never resolves every alert.
    /// - Parameter onFiring: called with every firing alert after a pass that changed any (e.g. for the status page).
    package init(store: PostgresStore, logger: Logger, metrics: GatewayMetrics? = nil, onFiring: (@Sendable ([AlertState]) -> Void)? = nil,
         inputs: @escaping @Sendable () -> AlertInputs?) {
        self.store = store
        self.logger = logger
        self.metrics = metrics
        self.onFiring = onFiring
        self.inputs = inputs
    }

    /// One pass at `now`: evaluate, step, and commit state changes with their deliveries.
    @discardableResult
    package func evaluate(now: Date) async throws -> Report {
        try await running.withPermit("pass") { try await self.pass(now: now) }
    }

    private func pass(now: Date) async throws -> Report {
        let budgets = try await store.budgets().compactMap { record -> Budget? in
            guard var budget = try? JSONDecoder().decode(Budget.self, from: Data(record.body.utf8)) else {
                logger.warning("stored budget does not decode; skipped", metadata: ["budget.id": record.id])
                return nil
            }
            budget.id = record.id
            budget.name = record.name
            return budget
        }
        guard let inputs = inputs() else { return Report(budgets: budgets.count) }
        let silences = try await store.silences(endingAfter: now).compactMap(SilenceRecord.silence)
        let (cachedVersion, cachedStatuses) = cache.withLock { ($0.version, $0.previousStatuses) }
        let previous = cachedStatuses ?? [:]
        var report = Report(budgets: budgets.count)
        var committed: (alerts: StoredAlerts, writes: [AlertState], reloaded: Bool, seen: [PackageKey: PackageStatus]?)?
        do {
            let byID = Dictionary(budgets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let version = try await store.alertEnginePass(cachedVersion: cachedVersion) { reload, stored, _ in
                var alerts = cache.withLock { $0.alerts }
                // After a restart (or another replica's pass) the statuses seen last come from the database, so a
                // status change that happened meanwhile is still noticed.
                let previous = stored.map(Self.statuses) ?? previous
                if let reload {
                    let decoder = JSONDecoder()
                    alerts = StoredAlerts(reload.compactMap { try? decoder.decode(AlertState.self, from: Data($0.body.utf8)) })
                }
                var output = AlertPass.run(budgets: budgets, inputs: inputs, existing: alerts, previousStatuses: previous, now: now)
                AlertMuting.apply(&output, existing: alerts, budgets: byID, silences: silences, now: now)
                let changes = Self.changedStatuses(inputs.packages, since: previous)
                // Every package seen with the same status and no other key: the statuses seen stay as they are.
                let unchanged = changes.isEmpty && previous.count == inputs.packages.count
                committed = (alerts, output.writes, reload != nil, unchanged ? previous : nil)
                var batch = AlertWriteBatch()
                batch.alerts = output.writes.map(Self.row)
                for (event, channels) in output.events {
                    let payload = StoredAlertEvent.encode([event])
                    report.events.append("\(event.kind.rawValue) \(event.alert.fingerprint)")
                    let budget = byID[event.alert.budgetID]
                    let urgent = output.urgent.contains(event.alert.fingerprint)
                    for channel in channels {
                        batch.deliveries.append(.init(
                            id: Self.newDeliveryID(), fingerprint: event.alert.fingerprint.value, channelID: channel,
                            eventKind: event.kind.rawValue, payload: payload, createdAt: now, budgetID: event.alert.budgetID,
                            groupWait: urgent ? 0 : budget?.groupWaitSeconds ?? Budget.defaultGroupWait,
                            groupInterval: urgent ? 0 : budget?.groupIntervalSeconds ?? Budget.defaultGroupInterval))
                    }
                }
                batch.statuses = changes
                report.written = batch.alerts.count
                report.deliveries = batch.deliveries.count
                return batch
            }
            let firing = cache.withLock { c -> [AlertState]? in
                var alerts = committed?.alerts ?? c.alerts
                // Both references let go first, so the writes change the dictionary in place instead of copying
                // every stored alert on each pass.
                committed?.alerts = StoredAlerts()
                c.alerts = StoredAlerts()
                for state in committed?.writes ?? [] { alerts.upsert(state) }
                c.alerts = alerts
                c.version = version
                if let seen = committed?.seen {
                    c.previousStatuses = seen
                } else {
                    var statuses: [PackageKey: PackageStatus] = [:]
                    statuses.reserveCapacity(inputs.packages.count)
                    for p in inputs.packages { statuses[p.key] = p.status }
                    c.previousStatuses = statuses
                }
                if let metrics {
                    var firing: [AlertRule.Kind: Int] = [:]
                    for kind in AlertRule.Kind.allCases { firing[kind] = 0 }
                    firing.merge(alerts.firingCount) { _, n in n }
                    for (kind, n) in firing { metrics.alertsFiring.series([kind.rawValue]).set(n) }
                }
                guard onFiring != nil, committed?.reloaded == true || !(committed?.writes.isEmpty ?? true) else { return nil }
                return alerts.firing
            }
            if let firing { onFiring?(firing) }
        } catch {
            cache.withLock { $0.version = nil }
            throw error
        }
        if report.written > 0 || report.deliveries > 0 {
            logger.info("alerts evaluated", metadata: [
                "budgets": "\(report.budgets)", "alerts.written": "\(report.written)", "deliveries": "\(report.deliveries)",
            ])
        }
        return report
    }

    static func row(_ s: AlertState) -> AlertWriteBatch.Alert {
        AlertWriteBatch.Alert(
            fingerprint: s.fingerprint.value, budgetID: s.budgetID, ruleIndex: s.ruleIndex, kind: s.kind.rawValue,
            subject: s.subject.description, state: s.status.rawValue, level: s.level, lastNotifiedAt: s.lastNotifiedAt,
            updatedAt: s.updatedAt, body: String(decoding: APIJSON.encode(s), as: UTF8.self))
    }

    /// Stored statuses as the evaluator takes them (rows that no longer parse are skipped).
    static func statuses(_ stored: [String: String]) -> [PackageKey: PackageStatus] {
        var out: [PackageKey: PackageStatus] = [:]
        out.reserveCapacity(stored.count)
        for (key, status) in stored {
            if let key = PackageKey(key), let status = PackageStatus(rawValue: status) { out[key] = status }
        }
        return out
    }

    /// Packages whose status differs from the one seen last (all of them the first time): what to store.
    static func changedStatuses(_ packages: [PackageState], since previous: [PackageKey: PackageStatus]) -> [(key: String, status: String)] {
        packages.compactMap { p in previous[p.key] == p.status ? nil : (p.key.description, p.status.rawValue) }
    }

    /// `dl_` + 24 random hex digits.
    static func newDeliveryID() -> String {
        "dl_" + Crypto.randomHex(bytes: 12)
    }
}
