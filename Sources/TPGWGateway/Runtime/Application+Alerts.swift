import Foundation
import TPGWCore
import TPGWHTTP

extension Application {
    /// Registers the budget, channel, alert and delivery routes.
    func registerAlertRoutes(auth: Authenticator) {
        let tester = ChannelTester(sender: DeliverySender(client: httpClient, timeout: alertSettings.timeout, policy: configuration.webhookPolicy), publicURL: configuration.publicURL)
        BudgetRoutes(store: store, auth: auth, now: now).register(on: router)
        ChannelRoutes(store: store, tester: tester, auth: auth, policy: configuration.webhookPolicy).register(on: router)
        AlertRoutes(store: store, auth: auth, now: now).register(on: router)
        DeliveryRoutes(store: store, auth: auth, now: now).register(on: router)
        SilenceRoutes(store: store, auth: auth, now: now).register(on: router)
        AuditRoutes(store: store, auth: auth).register(on: router)
    }

    /// The alert engine over the live view plus the delivery dispatcher; `run()` them in the background.
    func makeAlerting() -> Alerting {
        let views = views
        let settings = alertSettings
        var dispatch = DeliveryDispatcher.Configuration(owner: settings.owner)
        dispatch.lease = settings.lease
        dispatch.timeout = settings.timeout
        dispatch.publicURL = configuration.publicURL
        dispatch.networkPolicy = configuration.webhookPolicy
        let log = logger.with(["component": "alerts"])
        let watched = WatchedSources()
        let ops = ops
        let now = now
        let engine = AlertEngine(store: store, logger: log, metrics: ops.metrics, onFiring: { ops.setFiringAlerts(Self.statusPageAlerts($0)) }) {
            let view = views.current
            // No source and no package: the view was never built (database down at start); evaluating it would
            // resolve every firing alert.
            if view.sources.isEmpty && view.packageCount == 0 { return nil }
            let now = now()
            return AlertInputs.from(view, watchedSince: watched.since(view.sources.map(\.id), now: now), now: now)
        }
        let dispatcher = DeliveryDispatcher(
            store: store, client: httpClient, configuration: dispatch, logger: log.with(["component": "dispatcher"]), metrics: ops.metrics,
            clock: clock, now: now)
        return Alerting(engine: engine, dispatcher: dispatcher, store: store, updates: views.updates(), logger: log, now: now)
    }

    /// Firing alerts as the status page lists them: critical first, then oldest first; every one (the page counts
    /// them by budget and kind, shows the most urgent and folds the rest).
    static func statusPageAlerts(_ firing: [AlertState]) -> [StatusPageModel.Alert] {
        let rows = firing.map { a -> StatusPageModel.Alert in
            let tone = AlertMessageBuilder.tone(AlertEvent(kind: .firing, alert: a, at: a.updatedAt))
            return StatusPageModel.Alert(
                title: AlertMessageBuilder.ruleTitle(a.kind, zh: false) + ": " + a.summary,
                subject: a.subject.packageKey?.description ?? a.subject.description, since: a.startedAt,
                severity: tone == .critical ? .critical : .warning, budget: a.budgetName, kind: AlertMessageBuilder.ruleTitle(a.kind, zh: false),
                silenced: a.silencedBy != nil, acknowledged: a.acknowledgement != nil)
        }
        return rows.sorted(by: StatusPageRenderer.moreUrgent)
    }

    /// Delivery tuning from the configuration (`TPGW_DELIVERY_LEASE_SECONDS`, `TPGW_DELIVERY_TIMEOUT_SECONDS`) and this
    /// replica's one identity (`TPGW_REPLICA_ID`).
    var alertSettings: (owner: String, lease: TimeInterval, timeout: Duration) {
        (configuration.replicaID, configuration.deliveryLeaseSeconds, .milliseconds(Int64(configuration.deliveryTimeoutSeconds * 1000)))
    }
}
