import Foundation

extension AlertEvaluator.Input {
    /// The conditions of one rule.
    func conditions(rule: AlertRule, index i: Int) -> [AlertCondition] {
        switch rule {
        case .usedRatio(let thresholds, .package):
            let h = Hysteresis.ratio(thresholds)
            return active.indices.compactMap { j in
                guard h.mayHold(active[j].usedRatio) else { return nil }  // most packages: no copy, no condition
                let p = active[j]
                return condition(i, .usedRatio, .package(p.key), h, p.usedRatio,
                                 facts: .init(expiresAt: p.expiresAt, remainingBytes: p.remainingBytes, capacityBytes: p.capacityBytes)) {
                    "\(p.key) is \(AlertText.percent(p.usedRatio)) used (threshold \(AlertText.percent($0)))"
                }
            }
        case .usedRatio(let thresholds, .pool):
            return poolSources.compactMap { s in
                let members = (activeBySource[s] ?? [])
                let capacity = members.reduce(Int64(0)) { $0.saturatingAdding($1.capacityBytes) }
                guard capacity > 0 else { return nil }
                let remaining = members.reduce(Int64(0)) { $0.saturatingAdding($1.remainingBytes) }
                let ratio = 1 - Double(remaining) / Double(capacity)
                return condition(i, .usedRatio, .pool(s), .ratio(thresholds), ratio,
                                 facts: .init(remainingBytes: remaining, capacityBytes: capacity, activePackages: members.count)) {
                    "pool \(s) is \(AlertText.percent(ratio)) used (threshold \(AlertText.percent($0)))"
                }
            }
        case .remainingBytes(let below, .package):
            let h = Hysteresis.quantity(Double(below), .below)
            return active.indices.compactMap { j in
                guard h.mayHold(Double(active[j].remainingBytes)) else { return nil }
                let p = active[j]
                return condition(i, .remainingBytes, .package(p.key), h, Double(p.remainingBytes),
                                 facts: .init(expiresAt: p.expiresAt, remainingBytes: p.remainingBytes, capacityBytes: p.capacityBytes)) {
                    "\(p.key) has \(AlertText.bytes(p.remainingBytes)) left (alert at \(AlertText.bytes(Int64(saturating: $0))))"
                }
            }
        case .remainingBytes(let below, .pool):
            return poolSources.compactMap { s in
                let remaining = pools[s]?.remainingBytes ?? (activeBySource[s] ?? []).reduce(Int64(0)) { $0.saturatingAdding($1.remainingBytes) }
                return condition(i, .remainingBytes, .pool(s), .quantity(Double(below), .below), Double(remaining),
                                 facts: .init(remainingBytes: remaining, activePackages: pools[s]?.activePackages)) {
                    "pool \(s) has \(AlertText.bytes(remaining)) left (alert at \(AlertText.bytes(Int64(saturating: $0))))"
                }
            }
        case .exhaustion(let within, .package, let confidence):
            let rule = ExhaustionHysteresis(withinHours: within, confidence: confidence)
            let h = Hysteresis.quantity(within, .below)
            return active.indices.compactMap { j in
                guard let r = activeForecasts[j].map({ rule.runways($0, expiresAt: active[j].expiresAt, now: now) }),
                      r.fire.isFinite || r.hold.isFinite, h.mayHold(r.fire, hold: r.hold),
                      let f = activeForecasts[j],
                      let at = f.exhaustsAt(quantile: r.fire.isFinite ? rule.fireQuantile : rule.holdQuantile, now: now)
                else { return nil }
                let p = active[j]
                let hours = hours(until: at)
                return condition(i, .exhaustion, .package(p.key), h, r.fire, hold: r.hold,
                                 facts: .init(at: at, expiresAt: p.expiresAt, remainingBytes: p.remainingBytes)) { _ in
                    "\(p.key) runs out in \(AlertText.duration(hours: hours)) (\(RFC3339.format(at)))\(Self.chance(f.basis != nil, rule))"
                }
            }
        case .exhaustion(let within, .pool, let confidence):
            let rule = ExhaustionHysteresis(withinHours: within, confidence: confidence)
            return poolSources.compactMap { s in
                guard let pool = pools[s] else { return nil }
                let r = pool.runways(rule, now: now)
                guard r.fire.isFinite || r.hold.isFinite,
                      let at = pool.emptyAt(quantile: r.fire.isFinite ? rule.fireQuantile : rule.holdQuantile, now: now)
                else { return nil }
                let h = hours(until: at)
                return condition(i, .exhaustion, .pool(s), .quantity(within, .below), r.fire, hold: r.hold,
                                 facts: .init(at: at, remainingBytes: pool.remainingBytes, activePackages: pool.activePackages)) { _ in
                    "pool \(s) runs dry in \(AlertText.duration(hours: h)) (\(RFC3339.format(at))): pay-as-you-go from then\(Self.chance(pool.emptyAtP10 != nil, rule))"
                }
            }
        case .exhaustsBeforeExpiry:
            return active.indices.compactMap { j in
                guard activeForecasts[j]?.exhaustsBeforeExpiry == true, let at = activeForecasts[j]?.exhaustsAt else { return nil }
                let p = active[j]
                return condition(i, .exhaustsBeforeExpiry, .package(p.key), .flag, 1,
                                 facts: .init(at: at, expiresAt: p.expiresAt, remainingBytes: p.remainingBytes)) { _ in
                    "\(p.key) runs out at \(RFC3339.format(at)), before it expires at \(RFC3339.format(p.expiresAt))"
                }
            }
        case .expiryWaste(let days, let bytesAbove, let ratioAbove, let confidence):
            return active.indices.compactMap { j in
                let left = active[j].expiresAt.timeIntervalSince(now)
                guard left > 0, left <= days * 86400 else { return nil }
                return expiryWaste(i, active[j], activeForecasts[j], days: days, bytesAbove: bytesAbove, ratioAbove: ratioAbove,
                                   confidence: confidence)
            }
        case .coverageGap(let within, let confidence):
            return poolSources.compactMap { s in coverageGap(i, s, within: within, confidence: confidence) }
        case .statusChange:
            return changed.compactMap { p, before in
                let code = Double(PackageStatus.allCases.firstIndex(of: p.status) ?? 0)
                let h = Hysteresis(thresholds: [code], direction: .above, margin: .absolute(0))
                return condition(i, .statusChange, .package(p.key), h, code, facts: .init(status: p.status, previousStatus: before),
                                 oneShot: true) { _ in
                    "\(p.key) is now \(p.status.rawValue) (was \(before.rawValue))"
                }
            }
        case .sourceStale(let after):
            return sources.filter { budget.scope.matches($0.source) }.compactMap { h in
                let since = h.lastSuccessAt ?? h.watchedSince
                let minutes = now.timeIntervalSince(since) / 60
                return condition(i, .sourceStale, .source(h.source), .quantity(after, .above), minutes, facts: .init(at: h.lastSuccessAt)) { _ in
                    h.lastSuccessAt == nil
                        ? "source \(h.source) has never been read successfully (\(AlertText.duration(hours: minutes / 60)))"
                        : "source \(h.source) not read successfully for \(AlertText.duration(hours: minutes / 60))"
                }
            }
        }
    }

    /// ` (10 % chance)`-style suffix for a probabilistic forecast.
    static func chance(_ probabilistic: Bool, _ rule: ExhaustionHysteresis) -> String {
        probabilistic ? " (\(AlertText.percent(rule.fireQuantile)) chance or more)" : ""
    }

    private func expiryWaste(
        _ i: Int, _ p: PackageState, _ forecast: PackageForecast?, days: Double, bytesAbove: Int64?, ratioAbove: Double?,
        confidence: Double
    ) -> AlertCondition? {
        let left = p.expiresAt.timeIntervalSince(now)
        guard left > 0, left <= days * 86400 else { return nil }
        // Fire on the `confidence` quantile of the waste, hold on a more cautious one (half the remaining chance).
        let unused = forecast?.unusedAtExpiryBytes(quantile: confidence) ?? p.remainingBytes
        let holdUnused = forecast?.unusedAtExpiryBytes(quantile: (1 + confidence) / 2) ?? p.remainingBytes
        let ratio = p.capacityBytes > 0 ? Double(unused) / Double(p.capacityBytes) : 0
        let holdRatio = p.capacityBytes > 0 ? Double(holdUnused) / Double(p.capacityBytes) : 0
        let facts = AlertFacts(expiresAt: p.expiresAt, remainingBytes: p.remainingBytes, capacityBytes: p.capacityBytes, unusedBytes: unused)
        let summary: @Sendable (Double) -> String = { _ in
            "\(p.key) expires in \(AlertText.duration(hours: left / 3600)) with \(AlertText.bytes(unused)) (\(AlertText.percent(ratio))) forecast unused"
        }
        // Either measure may breach; the alert holds while either has not cleared its margin.
        let byRatio = ratioAbove.flatMap {
            condition(i, .expiryWaste, .package(p.key), .ratio([$0]), ratio, hold: holdRatio, facts: facts, summary: summary)
        }
        let byBytes = bytesAbove.flatMap {
            condition(i, .expiryWaste, .package(p.key), .quantity(Double($0), .above), Double(unused), hold: Double(holdUnused),
                      facts: facts, summary: summary)
        }
        if let r = byRatio, r.isBreaching { return r }
        if let b = byBytes, b.isBreaching { return b }
        return byRatio ?? byBytes
    }

    private func coverageGap(_ i: Int, _ s: SourceID, within: Double, confidence: Double) -> AlertCondition? {
        let activeCount = pools[s]?.activePackages ?? (activeBySource[s] ?? []).count
        let rule = ExhaustionHysteresis(withinHours: within, confidence: confidence)
        let h: Double
        let hold: Double
        var at: Date?
        if activeCount == 0 {
            h = 0
            hold = 0
        } else if let pool = pools[s] {
            let r = pool.runways(rule, now: now)
            guard r.fire.isFinite || r.hold.isFinite else { return nil }
            h = max(0, r.fire)
            hold = max(0, r.hold)
            at = pool.emptyAt(quantile: r.fire.isFinite ? rule.fireQuantile : rule.holdQuantile, now: now)
        } else {
            return nil
        }
        let emptyAt = at
        return condition(i, .coverageGap, .pool(s), .quantity(within, .below), h, hold: hold,
                         facts: .init(at: at, remainingBytes: pools[s]?.remainingBytes, activePackages: activeCount)) { _ in
            if activeCount == 0 { return "pool \(s) has no active package: traffic is billed pay-as-you-go" }
            return "pool \(s) is forecast empty in \(AlertText.duration(hours: emptyAt.map { max(0, hours(until: $0)) } ?? h)) (\(RFC3339.format(emptyAt ?? now))): pay-as-you-go from then"
        }
    }
}
