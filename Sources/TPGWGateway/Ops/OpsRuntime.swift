import Foundation
import Synchronization
import TPGWCore

/// The operations side of a running gateway: the metrics registry and its families, the inventory gauges kept
/// in step with the read view, the pools' usage for sparklines, the firing alerts shown on the status page,
/// and the last rendered status page.
///
/// Everything here is in memory: a scrape or a page view never waits on upstream or the database.
package final class OpsRuntime: Sendable {
    let registry = MetricsRegistry()
    package let metrics: GatewayMetrics
    let inventory = InventoryMetricsCollector()
    package let poolUsage: PoolUsageCache
    private let inventoryViewTime = Mutex<Date?>(nil)
    private let alerts = Mutex<(rows: [StatusPageModel.Alert], generation: Int)>(([], 0))
    private let page = Mutex<CachedPage?>(nil)
    /// The last `/metrics` body and when it was rendered: every scrape within a second gets these same bytes.
    private let scrapeCache = Mutex<(renderedAt: Date, body: [UInt8])?>(nil)
    /// Held while rendering a scrape, so that concurrent scrapes of a stale cache wait for one rendering.
    private let scrapeRendering = Mutex<Void>(())
    private let scrapeRenders = Atomic<Int>(0)
    /// When `/metrics` and `/` were last asked for: background pre-rendering only runs while someone looks.
    private let lastAsked = Mutex<(scrape: Date?, page: Date?)>((nil, nil))

    /// A rendered status page and what it was rendered from.
    struct CachedPage: Sendable {
        var viewTime: Date
        var usageGeneration: Int
        var alertsGeneration: Int
        var renderedAt: Date
        var body: [UInt8]
    }

    package init(version: String = TPGWVersion.current, logger: Logger = .disabled) {
        metrics = GatewayMetrics(registry: registry)
        inventory.register(on: registry)
        ProcessMetrics(version: version).register(on: registry)
        poolUsage = PoolUsageCache(logger: logger)
    }

    // MARK: Metrics

    /// Makes the inventory gauges show `view` unless they already show it or a newer one.
    func syncInventory(with view: GatewayView, now: Date) {
        let stale = inventoryViewTime.withLock { $0.map { $0 < view.generatedAt } ?? true }
        guard stale else { return }
        let inventoryMetrics = InventoryMetrics(view: view, now: now)
        inventoryViewTime.withLock { shown in
            guard shown.map({ $0 < view.generatedAt }) ?? true else { return }
            inventory.update(inventoryMetrics)
            shown = view.generatedAt
        }
    }

    /// The `/metrics` body for `view`: rendered at most once a second, and shared (the same array storage, not a
    /// copy) by every scrape in that second, however many run at once.
    package func scrape(view: GatewayView, now: Date) -> [UInt8] {
        lastAsked.withLock { $0.scrape = now }
        if let body = freshScrape(now: now) { return body }
        return scrapeRendering.withLock { _ -> [UInt8] in
            if let body = freshScrape(now: now) { return body }  // rendered while we waited
            syncInventory(with: view, now: now)
            let body = registry.renderBytes()
            scrapeRenders.add(1, ordering: .relaxed)
            scrapeCache.withLock { $0 = (now, body) }
            return body
        }
    }

    /// How many times the `/metrics` body has been rendered (for tests).
    var scrapeRenderCount: Int { scrapeRenders.load(ordering: .relaxed) }

    private func freshScrape(now: Date) -> [UInt8]? {
        scrapeCache.withLock { cached in
            guard let cached, abs(now.timeIntervalSince(cached.renderedAt)) < 1 else { return nil }
            return cached.body
        }
    }

    /// Work a scrape or page view would otherwise do, done ahead for `view`: the inventory's text and the status
    /// page, each only if it was asked for within `activeWithin` (no one scraping, no rendering).
    package func prepare(view: GatewayView, refreshSeconds: Int, now: Date, activeWithin: TimeInterval = 600) {
        let (scrape, page) = lastAsked.withLock { $0 }
        if let scrape, now.timeIntervalSince(scrape) < activeWithin {
            syncInventory(with: view, now: now)
            inventory.prerender()
        }
        if let page, now.timeIntervalSince(page) < activeWithin {
            _ = renderStatusPage(view: view, refreshSeconds: refreshSeconds, now: now, maxAge: 5)
        }
    }

    /// Whether the status page was asked for within `activeWithin` of `now` (its sparklines are then kept loaded).
    func statusPageWatched(now: Date, activeWithin: TimeInterval = 600) -> Bool {
        lastAsked.withLock { $0.page }.map { now.timeIntervalSince($0) < activeWithin } ?? false
    }

    // MARK: Alerts seam

    /// Replaces the firing alerts shown on the status page (the alert engine calls this after each evaluation).
    func setFiringAlerts(_ rows: [StatusPageModel.Alert]) {
        alerts.withLock { state in
            state.rows = rows
            state.generation += 1
        }
    }

    // MARK: Status page

    /// The status page for `view`: the cached bytes while the view, usage and alerts are unchanged and the page is
    /// younger than `maxAge` (relative times move), else a fresh rendering.
    func statusPage(view: GatewayView, refreshSeconds: Int, now: Date, maxAge: TimeInterval = 10) -> [UInt8] {
        lastAsked.withLock { $0.page = now }
        return renderStatusPage(view: view, refreshSeconds: refreshSeconds, now: now, maxAge: maxAge)
    }

    private func renderStatusPage(view: GatewayView, refreshSeconds: Int, now: Date, maxAge: TimeInterval) -> [UInt8] {
        let (usage, usageGeneration) = poolUsage.current
        let (rows, alertsGeneration) = alerts.withLock { ($0.rows, $0.generation) }
        if let cached = page.withLock({ $0 }), cached.viewTime == view.generatedAt, cached.usageGeneration == usageGeneration,
            cached.alertsGeneration == alertsGeneration, now.timeIntervalSince(cached.renderedAt) < maxAge
        {
            return cached.body
        }
        let model = StatusPageModel.build(
            view: view, usage: usage, alerts: rows, refreshSeconds: refreshSeconds, version: TPGWVersion.current, now: now)
        let body = StatusPageRenderer.render(model, now: now)
        page.withLock {
            $0 = CachedPage(
                viewTime: view.generatedAt, usageGeneration: usageGeneration, alertsGeneration: alertsGeneration, renderedAt: now, body: body)
        }
        return body
    }
}
