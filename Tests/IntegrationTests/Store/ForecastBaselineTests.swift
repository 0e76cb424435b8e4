import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
import TPGWStore

/// `forecastBaselines` reads at most two snapshots per package, and skips the older one when it cannot matter; the
/// forecasts made from them must equal forecasts made from every snapshot.
@Suite(.serialized) struct ForecastBaselineTests {
    static let hourly = SourceID(account: "prod", region: "gz")
    static let gappy = SourceID(account: "prod", region: "su")
    static let stale = SourceID(account: "prod", region: "cd")

    /// Hourly polls for 30 hours (steady, flat, new at hour 20, bursting at the end), and a source polled at hours
    /// 0-2 and then only at hour 29 (its window holds just the last poll, so the older snapshot is needed), and a
    /// source whose last answer was at hour 20 (its window ends there, not at `now`).
    static func fill(_ store: PostgresStore) async throws {
        try await store.upsertSources([.make(hourly), .make(gappy), .make(stale)])
        for hour in 0..<30 {
            let at = Date.t0.addingTimeInterval(Double(hour) * 3600)
            var hourlyPackages: [ObservedPackage] = [
                .make("steady", used: Int64(hour) * 100 << 20, source: hourly, observedAt: at),
                .make("flat", used: 5 << 20, source: hourly, observedAt: at),
                .make("burst", used: hour < 26 ? 0 : Int64(hour - 25) << 30, source: hourly, observedAt: at),
            ]
            if hour >= 20 { hourlyPackages.append(.make("late", used: Int64(hour - 20) << 20, source: hourly, observedAt: at)) }
            _ = try await store.poll(hourlyPackages, at: at, source: hourly)
            if hour <= 20 {
                // Busy for the first 6 hours, then idle: a window measured from `now` would miss the busy hours.
                _ = try await store.poll([.make("busy", used: Int64(min(hour, 6)) << 30, source: stale, observedAt: at)], at: at, source: stale)
            }
            if hour <= 2 || hour == 29 {
                var gappyPackages: [ObservedPackage] = [
                    .make("steady", used: Int64(hour) * 100 << 20, source: gappy, observedAt: at),
                    .make("flat", used: 7 << 20, source: gappy, observedAt: at),
                ]
                if hour == 29 { gappyPackages.append(.make("new", used: 1 << 20, source: gappy, observedAt: at)) }
                _ = try await store.poll(gappyPackages, at: at, source: gappy)
            }
        }
    }

    @Test(arguments: [1, 2, 3])
    func forecastsFromBaselines_equalForecastsFromEverySnapshot(parts: Int) async throws {
        try await TestDatabase.with { db in
            try await Self.fill(db.store)
            let now = Date.t0.addingTimeInterval(29 * 3600 + 60)
            let packages = try await db.store.latestPackages().filter { $0.status == .active }
            #expect(packages.count == 8)
            let baselines = try await db.store.forecastBaselines(now: now, parts: parts)
            var all: [PackageKey: [Snapshot]] = [:]
            for source in [Self.hourly, Self.gappy, Self.stale] {
                all.merge(try await db.store.recentSnapshots(source: source, since: .t0.addingTimeInterval(-86400))) { a, _ in a }
            }
            for p in packages {
                let fromBaselines = Forecaster.forecast(package: p, snapshots: baselines[p.key] ?? [], now: now)
                let fromAll = Forecaster.forecast(package: p, snapshots: all[p.key] ?? [], now: now)
                #expect(fromBaselines == fromAll, "\(p.key)")
                #expect((baselines[p.key] ?? []).count <= 2, "\(p.key)")
            }
            // Where the window has two points the older snapshot is not read; where it has one it is.
            #expect(baselines[PackageKey("bce:prod:gz:steady")!]?.count == 1)
            #expect(baselines[PackageKey("bce:prod:su:steady")!]?.map(\.observedAt) == [.t0.addingTimeInterval(29 * 3600), .t0.addingTimeInterval(2 * 3600)])
            #expect(baselines[PackageKey("bce:prod:su:new")!]?.count == 1, "first seen inside the window: nothing older exists")
            #expect(fromAllBurn(packages, all, now, "bce:prod:su:steady") > 0)
            #expect(fromAllBurn(packages, all, now, "bce:prod:cd:busy") > 0, "the stale source's window still holds its busy hours")
        }
    }

    @Test func oneSource_readsOnlyThatSource() async throws {
        try await TestDatabase.with { db in
            try await Self.fill(db.store)
            let baselines = try await db.store.forecastBaselines(now: Date.t0.addingTimeInterval(29 * 3600 + 60), source: Self.gappy)
            #expect(Set(baselines.keys.map(\.id)) == ["steady", "flat", "new"])
            #expect(Set(baselines.keys.map(\.region)) == ["su"])
            let packages = try await db.store.latestPackages(source: Self.gappy)
            #expect(Set(packages.map(\.key.id)) == ["steady", "flat", "new"])
        }
    }

    private func fromAllBurn(_ packages: [PackageState], _ all: [PackageKey: [Snapshot]], _ now: Date, _ key: String) -> Double {
        guard let p = packages.first(where: { $0.key.description == key }) else { return -1 }
        return Forecaster.forecast(package: p, snapshots: all[p.key] ?? [], now: now).burnBytesPerHour
    }
}
