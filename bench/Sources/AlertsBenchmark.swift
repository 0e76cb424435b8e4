import Foundation
import TPGWCore
import TPGWGateway
import TPGWHTTP
import TPGWHTTPClient
import TPGWStore
import TPGWTestSupport

/// `tpgw-bench alerts` (bench/alerts/run.sh), on fresh schemas of `TPGW_TEST_DATABASE_URL`: evaluation of 50 budgets
/// over 100,000 packages, dispatch of 10,000 deliveries to a local receiver, and 25,000 alerts of 50 budgets firing at
/// once, grouped. Prints `BENCH` lines. `TPGW_BENCH_ALERTS=evaluate,dispatch,grouped` runs only the parts named.
enum AlertsBenchmark {
    typealias F = AlertFixtures

    static func run(_ env: [String: String]) async throws {
        let parts = Set((env["TPGW_BENCH_ALERTS"] ?? "evaluate,dispatch,grouped").split(separator: ",").map(String.init))
        if parts.contains("evaluate") { try await evaluate50BudgetsOver100kPackages() }
        if parts.contains("dispatch") { try await dispatch10kDeliveries() }
        if parts.contains("grouped") { try await grouped25kAlertsFiringAtOnce() }
    }
    static let regions = ["bj", "gz", "su", "hkg", "fwh", "bd", "nj", "yq", "cd", "sin"]

    static func report(_ name: String, _ value: String) { print("BENCH \(name): \(value)") }

    /// 100,000 packages over 20 sources (2 accounts x 10 regions) with forecasts and pools, like a view after a poll.
    static func inputs(now: Date) -> AlertInputs {
        var packages: [PackageState] = []
        var forecasts: [PackageKey: PackageForecast] = [:]
        packages.reserveCapacity(100_000)
        var rng = SystemRandomNumberGenerator()
        for i in 0..<100_000 {
            let account = i % 2 == 0 ? "prod" : "test"
            let region = regions[(i / 2) % regions.count]
            let capacity: Int64 = 100 << 30
            // Most packages are mid-way; ~1% are above 95 %, a few are used up.
            let ratio = i % 100 == 0 ? 0.97 : Double(UInt64.random(in: 0...90, using: &rng)) / 100
            let status: PackageStatus = i % 500 == 0 ? .usedUp : .active
            let p = PackageState(
                key: PackageKey(provider: "bce", account: account, region: region, id: "tp-\(i)"), policy: i % 3 == 0 ? .offPeak : .fullTime,
                status: status, capacityBytes: capacity, usedBytes: status == .usedUp ? capacity : Int64(ratio * Double(capacity)),
                createdAt: now.addingTimeInterval(-86400 * 20), activatedAt: now.addingTimeInterval(-86400 * 20),
                expiresAt: now.addingTimeInterval(86400 * Double(1 + i % 60)), observedAt: now)
            packages.append(p)
            // Burn so that 1 % run out before they expire and the rest would last ten days past expiry.
            let daysLeft = p.expiresAt.timeIntervalSince(now) / 86400
            let burn = i % 100 == 1 ? Double(p.remainingBytes) / (daysLeft * 12) : Double(p.remainingBytes) / ((daysLeft + 10) * 24)
            let at = now.addingTimeInterval(Double(p.remainingBytes) / max(burn, 1) * 3600)
            forecasts[p.key] = PackageForecast(
                burnBytesPerHour: burn, exhaustsAt: status == .active ? at : nil, exhaustsBeforeExpiry: status == .active && at <= p.expiresAt,
                unusedAtExpiryBytes: at > p.expiresAt ? max(0, Int64(Double(p.remainingBytes) - burn * daysLeft * 24)) : 0)
        }
        var pools: [SourceID: PoolForecast] = [:]
        var sources: [AlertSourceHealth] = []
        for account in ["prod", "test"] {
            for region in regions {
                let s = SourceID(account: account, region: region)
                let members = packages.filter { $0.key.source == s && $0.status == .active }
                pools[s] = PoolSimulator.simulate(source: s, packages: members, demand: PoolDemand.estimate(packages: members, forecasts: forecasts), now: now)
                sources.append(AlertSourceHealth(source: s, lastSuccessAt: now.addingTimeInterval(-60), watchedSince: now.addingTimeInterval(-86400)))
            }
        }
        return AlertInputs(packages: packages.sorted { $0.key < $1.key }, forecasts: forecasts, pools: pools, sources: sources)
    }

    /// 50 budgets: 10 over everything, 40 over one region each (4 per region), every one with all 8 rule kinds.
    static func budgets(channel: String) -> [Budget] {
        (0..<50).map { i in
            let scope = i < 10 ? BudgetScope() : BudgetScope(region: regions[i % regions.count])
            return Budget(
                id: "bud_bench\(i)", name: "bench \(i)", scope: scope,
                rules: [
                    .usedRatio(thresholds: [0.95, 0.99]), .remainingBytes(below: 2 << 30, per: .pool), .exhaustion(withinHours: 2),
                    .exhaustsBeforeExpiry, .expiryWaste(withinDays: 1, unusedBytesAbove: nil, unusedRatioAbove: 0.99),
                    .coverageGap(withinHours: 1), .statusChange, .sourceStale(afterMinutes: 30),
                ],
                channels: [channel], repeatIntervalHours: 24)
        }
    }

    static func evaluate50BudgetsOver100kPackages() async throws {
        let now = Date()
        let inputs = Self.inputs(now: now)
        let budgets = Self.budgets(channel: "chn_bench")
        var times: [Duration] = []
        var output = AlertPass.Output()
        for _ in 0..<5 {
            let started = ContinuousClock.now
            output = AlertPass.run(budgets: budgets, inputs: inputs, existing: StoredAlerts(), previousStatuses: [:], now: now)
            times.append(ContinuousClock.now - started)
        }
        times.sort()
        Self.report("pure evaluation, 50 budgets x 8 rules, 100,000 packages, median of 5", "\(times[2]) (min \(times[0]), max \(times[4]))")
        Self.report("conditions firing (alerts to create)", "\(output.writes.count)")

        // The same through the engine and PostgreSQL: first pass writes every new alert and its delivery, the
        // second (nothing changed) writes nothing.
        try await TestDatabase.with { db in
            let channel = try await F.channel(db.store, url: "http://127.0.0.1:9/hook")
            for b in Self.budgets(channel: channel.id) {
                _ = try await db.store.insertBudget(id: b.id, name: b.name, body: BudgetRoutes.body(b))
            }
            let box = LockedValue(inputs)
            let engine = F.engine(db.store, inputs: box)
            let t1 = ContinuousClock.now
            let first = try await engine.evaluate(now: now)
            let firstTime = ContinuousClock.now - t1
            Self.report("engine pass 1 (evaluate + write \(first.written) alerts and \(first.deliveries) deliveries in one transaction)", "\(firstTime)")
            var steady: [Duration] = []
            for k in 1...3 {
                let t = ContinuousClock.now
                let r = try await engine.evaluate(now: now.addingTimeInterval(Double(k) * 60))
                steady.append(ContinuousClock.now - t)
                try Bench.check(r.deliveries == 0, "a steady pass wrote \(r.deliveries) deliveries")
            }
            steady.sort()
            Self.report("engine pass, steady state (nothing new), median of 3", "\(steady[1])")
            let fresh = F.engine(db.store, inputs: box)
            let t2 = ContinuousClock.now
            _ = try await fresh.evaluate(now: now.addingTimeInterval(600))
            Self.report("engine pass after a restart (reloads \(first.written) stored alerts)", "\(ContinuousClock.now - t2)")
        }
    }

    static func dispatch10kDeliveries() async throws {
        try await TestDatabase.with(maxConnections: 4) { db in
            // One budget's alerts are one notification group: messages carry up to 1,000 events, so what is
            // counted is events (by fingerprint), and latency per event.
            let received = LockedValue<[String: Date]>([:])
            let receiver = try WebhookReceiver.start { _, request in
                let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
                let at = Date()
                let ids = ((body?["events"] as? [[String: Any]]) ?? []).compactMap { ($0["alert"] as? [String: Any])?["fingerprint"] as? String }
                received.withLock { r in for id in ids { r[id] = at } }
                return .json(Array("{\"ok\":true}".utf8))
            }
            let channel = try await F.channel(db.store, url: receiver.url)
            try await F.budget(db.store, rules: [.usedRatio(thresholds: [0.8])], channels: [channel.id])
            // In key order, as a view lists them (the evaluator then has nothing to sort).
            let box = LockedValue(AlertInputs(packages: (0..<10_000).map { F.package("tp-\($0)", ratio: 0.9) }.sorted { $0.key < $1.key }))
            let engine = F.engine(db.store, inputs: box)
            let client = HTTPClient(configuration: .init(maxConnectionsPerHost: 32))
            var config = DeliveryDispatcher.Configuration(owner: "bench")
            config.networkPolicy = AlertFixtures.loopbackAllowed
            config.batchSize = 500
            config.concurrency = 32
            config.tick = .milliseconds(200)
            let dispatcher = DeliveryDispatcher(store: db.store, client: client, configuration: config, logger: .disabled)
            let loop = Task { await dispatcher.run(until: ShutdownSignal()) }

            // Burst: 10,000 transitions committed at once.
            let transitionAt = Date()
            let t0 = ContinuousClock.now
            let report = try await engine.evaluate(now: transitionAt)
            let committed = ContinuousClock.now - t0
            dispatcher.wake()
            while received.value.count < 10_000 && ContinuousClock.now - t0 < .seconds(300) {
                try await Task.sleep(for: .milliseconds(20))
            }
            let total = ContinuousClock.now - t0
            let latencies = received.value.values.map { $0.timeIntervalSince(transitionAt) }.sorted()
            let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
            Self.report("burst: transitions committed (\(report.deliveries) outbox rows, one transaction)", "\(committed)")
            Self.report("burst: 10,000 deliveries received (one group: 10 messages of 1,000 events)",
                        "\(received.value.count) in \(total) = \(Int(Double(received.value.count) / seconds)) deliveries/s (incl. the commit)")
            Self.report("burst: transition->receipt latency p50 / p99 / max",
                        "\(Self.ms(latencies, 0.5)) / \(Self.ms(latencies, 0.99)) / \(Self.ms(latencies, 1)) ms")
            try Bench.check(received.value.count == 10_000, "received \(received.value.count) of 10,000")
            // The burst's job still records its 10,000 results after the last receipt, and a channel's next rows wait
            // for its running job: the trickle starts once every burst row is settled, so it measures single
            // transitions rather than the burst's tail.
            while try await db.store.deliveryCounts()["pending", default: 0] > 0 && ContinuousClock.now - t0 < .seconds(300) {
                try await Task.sleep(for: .milliseconds(20))
            }
            Self.report("burst: every outbox row settled (results recorded) after", "\(ContinuousClock.now - t0)")

            // Trickle: one transition at a time (20 per second), each committed then picked up by the woken loop.
            received.withLock { $0.removeAll() }
            var created: [String: Date] = [:]
            var passes: [Double] = []
            for i in 0..<200 {
                // Ids that sort in the order they are added, as a view lists packages by key.
                let id = "trickle-" + String(repeating: "0", count: 3 - String(i).count) + String(i)
                box.withLock { $0.packages.append(F.package(id, ratio: 0.9)) }
                let at = Date()
                let r = try await engine.evaluate(now: at)
                passes.append(Date().timeIntervalSince(at))
                if r.deliveries > 0 { dispatcher.wake() }
                created[id] = at
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(for: .seconds(1))
            let passesInOrder = passes
            let alerts = try await db.store.alerts(limit: 300)
            let fingerprints = Dictionary(alerts.map { ($0.fingerprint, $0.updatedAt) }, uniquingKeysWith: { a, _ in a })
            let trickle = received.value.compactMap { fp, at in fingerprints[fp].map { at.timeIntervalSince($0) } }.sorted()
            Self.report("trickle: 200 single transitions at 20/s, transition->receipt latency p50 / p99 / max",
                        "\(Self.ms(trickle, 0.5)) / \(Self.ms(trickle, 0.99)) / \(Self.ms(trickle, 1)) ms (\(trickle.count) received)")
            // How much of that is the engine pass (evaluate + commit) before the dispatcher is woken.
            // And where the rest goes: the commit (transition + pass) to the send's start (wake, claim, plan), then
            // the send's start to the receipt (formatting, the HTTP request).
            var claimLags: [Double] = [], sendLags: [Double] = []
            let transitions = zip(created.values.sorted(), passesInOrder).map { (at: $0, pass: $1) }
            for alert in alerts {
                guard let receipt = received.value[alert.fingerprint],
                      let t = transitions.first(where: { abs($0.at.timeIntervalSince(alert.updatedAt)) < 0.001 }) else { continue }
                let rows = try await db.store.deliveries(alertID: alert.id, limit: 5)
                guard let attempt = try await db.store.deliveryAttempts(deliveryIDs: rows.map(\.id)).first else { continue }
                claimLags.append(attempt.attemptedAt.timeIntervalSince(t.at.addingTimeInterval(t.pass)))
                sendLags.append(receipt.timeIntervalSince(attempt.attemptedAt))
            }
            claimLags.sort()
            sendLags.sort()
            Self.report("trickle: commit -> send start (wake, claim, plan) p50 / p99 / max",
                        "\(Self.ms(claimLags, 0.5)) / \(Self.ms(claimLags, 0.99)) / \(Self.ms(claimLags, 1)) ms (\(claimLags.count))")
            Self.report("trickle: send start -> receipt p50 / p99 / max",
                        "\(Self.ms(sendLags, 0.5)) / \(Self.ms(sendLags, 0.99)) / \(Self.ms(sendLags, 1)) ms")
            passes.sort()
            Self.report("trickle: engine pass per transition p50 / p99 / max",
                        "\(Self.ms(passes, 0.5)) / \(Self.ms(passes, 0.99)) / \(Self.ms(passes, 1)) ms")
            loop.cancel()
            _ = await loop.value
            await client.shutdown()
            await receiver.stop()
        }
    }

    /// 100,000 packages in 50 sources (5 accounts x 10 regions), a quarter of each source's above 95 % used; 50
    /// budgets, one per source, each sending to one `json` channel and one DingTalk-format channel: 25,000 alerts
    /// fire at once. Reports messages sent, time from the commit to the last message, and the rows written.
    static func grouped25kAlertsFiringAtOnce() async throws {
        try await TestDatabase.with(maxConnections: 4) { db in
            let now = Date()
            let accounts = ["a0", "a1", "a2", "a3", "a4"]
            var packages: [PackageState] = []
            packages.reserveCapacity(100_000)
            for i in 0..<100_000 {
                let source = i % 50
                let ratio = (i / 50) % 4 == 0 ? 0.97 : 0.5
                packages.append(PackageState(
                    key: PackageKey(provider: "bce", account: accounts[source / 10], region: Self.regions[source % 10], id: "tp-\(i)"),
                    policy: .fullTime, status: .active, capacityBytes: 100 << 30, usedBytes: Int64(ratio * Double(100 << 30)),
                    createdAt: now - 86400 * 20, activatedAt: now - 86400 * 20, expiresAt: now + 86400 * 30, observedAt: now))
            }
            let messages = LockedValue<[(at: Date, events: Int, format: String)]>([])
            let receiver = try WebhookReceiver.start { _, request in
                let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
                let format = body?["msgtype"] != nil ? "dingtalk" : "json"
                messages.withLock { $0.append((Date(), (body?["events"] as? [Any])?.count ?? 0, format)) }
                return .json(Array(format == "dingtalk" ? "{\"errcode\":0,\"errmsg\":\"ok\"}".utf8 : "{\"ok\":true}".utf8))
            }
            let json = try await F.channel(db.store, url: receiver.url + "?c=json")
            let ding = try await F.channel(db.store, format: .dingtalk, url: receiver.url + "?c=ding", secret: nil)
            for (i, account) in accounts.enumerated() {
                for region in Self.regions {
                    try await F.budget(db.store, rules: [.usedRatio(thresholds: [0.95])], channels: [json.id, ding.id],
                                       scope: BudgetScope(account: account, region: region), name: "bench \(i) \(region)",
                                       groupWait: 2, groupInterval: 300)
                }
            }
            let engine = F.engine(db.store, inputs: LockedValue(AlertInputs(packages: packages)))
            let client = HTTPClient(configuration: .init(maxConnectionsPerHost: 32))
            var config = DeliveryDispatcher.Configuration(owner: "bench")
            config.networkPolicy = AlertFixtures.loopbackAllowed
            config.batchSize = 500
            config.tick = .milliseconds(200)
            let dispatcher = DeliveryDispatcher(store: db.store, client: client, configuration: config, logger: .disabled)
            let loop = Task { await dispatcher.run(until: ShutdownSignal()) }
            let t0 = ContinuousClock.now
            let report = try await engine.evaluate(now: Date())
            let committed = ContinuousClock.now - t0
            func events(_ format: String) -> Int { messages.value.filter { $0.format == format }.reduce(0) { $0 + $1.events } }
            // Until every outbox row is settled: DingTalk's 20 a minute holds its side back, nothing is dropped.
            var settledAfter = Duration.zero
            while ContinuousClock.now - t0 < .seconds(600) {
                if events("json") >= 25_000, (try await db.store.deliveryCounts())["pending", default: 0] == 0 {
                    settledAfter = ContinuousClock.now - t0
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .seconds(1))
            let last = messages.value.map(\.at).max() ?? Date()
            let lastDing = messages.value.filter { $0.format == "dingtalk" }.map(\.at).max() ?? Date()
            let m = messages.value
            Self.report("grouped: alerts firing at once (one transaction)", "\(report.written) alerts, \(report.deliveries) outbox rows in \(committed)")
            Self.report("grouped: messages sent (json / dingtalk)", "\(m.filter { $0.format == "json" }.count) / \(m.filter { $0.format == "dingtalk" }.count)")
            Self.report("grouped: events in json messages", "\(events("json"))")
            Self.report("grouped: commit -> last message (groupWait 2 s)", "\(String(format: "%.2f", last.timeIntervalSince(now))) s")
            Self.report("grouped: commit -> last DingTalk message", "\(String(format: "%.2f", lastDing.timeIntervalSince(now))) s")
            Self.report("grouped: every outbox row settled after", settledAfter == .zero ? "not within 600 s" : "\(settledAfter)")
            let pending = try await db.store.deliveryCounts()
            Self.report("grouped: deliveries by state after", "\(pending.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
            var rows: [String] = []
            for table in ["alerts", "deliveries", "delivery_attempts", "alert_groups", "channel_sends", "alert_seen_statuses"] {
                let r = try await db.store.pool.query("SELECT count(*)::int8 FROM \(unsafeRaw: table)", idempotent: true)
                rows.append("\(table) \(try r[0].decode(Int64.self, at: 0))")
            }
            Self.report("grouped: database rows written", rows.joined(separator: ", "))
            try Bench.check(events("json") == 25_000, "json events \(events("json")) of 25,000")
            try Bench.check(m.filter { $0.format == "json" }.count == 50, "json messages: not 50")
            try Bench.check(settledAfter != .zero, "every delivery settled")
            let dingTimes = m.filter { $0.format == "dingtalk" }.map(\.at).sorted()
            let busiestMinute = dingTimes.indices.map { i in dingTimes[i...].prefix { $0.timeIntervalSince(dingTimes[i]) < 60 }.count }.max() ?? 0
            try Bench.check(busiestMinute <= 20, "DingTalk's 20 a minute: \(busiestMinute)")
            loop.cancel()
            _ = await loop.value
            await client.shutdown()
            await receiver.stop()
        }
    }

    static func ms(_ sorted: [Double], _ q: Double) -> String {
        guard !sorted.isEmpty else { return "-" }
        let i = min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.up)) - 1)
        return String(format: "%.1f", sorted[max(0, i)] * 1000)
    }
}
