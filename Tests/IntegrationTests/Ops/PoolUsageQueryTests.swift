import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
import TPGWStore
@testable import TPGWGateway

@Suite(.enabled(if: TestDatabase.isConfigured)) struct PoolUsageQueryTests {
    @Test func poolUsage_sumsEachPackagesIncreasePerHour_perSource() async throws {
        try await TestDatabase.with { db in
            let bj = SourceID(account: "prod", region: "bj")
            let gz = SourceID(account: "prod", region: "gz")
            try await db.store.upsertSources([.make(bj), .make(gz)])
            try await db.execute("UPDATE sources SET created_at = now() - interval '8 days'")
            let now = Date()
            let hour = (now.timeIntervalSince1970 / 3600).rounded(.down) * 3600
            func at(_ h: Double) -> Date { Date(timeIntervalSince1970: hour + h * 3600 + 60) }
            // bj: a grows 100 → 300 → 600; b appears at -3 h and grows 1000 → 1500. gz: c shrinks (a correction): no usage.
            try await db.store.poll([.make("a", used: 100)], at: at(-5), source: bj)
            try await db.store.poll([.make("a", used: 300), .make("b", used: 1000)], at: at(-4), source: bj)
            try await db.store.poll([.make("a", used: 600), .make("b", used: 1500)], at: at(-3), source: bj)
            try await db.store.poll([.make("c", used: 50, source: gz)], at: at(-5), source: gz)
            try await db.store.poll([.make("c", used: 40, source: gz)], at: at(-4), source: gz)

            let usage = try await db.store.poolUsage(now: now)
            #expect(usage.bucketSeconds == 3600)
            #expect(usage.bucketCount == 168)
            let points = usage.points(for: bj)
            func value(_ h: Double) -> Int64? { points.first { $0.at == Date(timeIntervalSince1970: hour + h * 3600) }?.usedBytes }
            #expect(value(-5) == 0)
            #expect(value(-4) == 200)
            #expect(value(-3) == 800)
            #expect(points.map(\.usedBytes).reduce(0, +) == 1000)
            #expect(usage.points(for: gz).map(\.usedBytes).reduce(0, +) == 0)
        }
    }

    @Test func poolUsage_ofAFreshInstallation_usesShortBuckets() async throws {
        try await TestDatabase.with { db in
            try await db.store.upsertSources([.make()])
            let usage = try await db.store.poolUsage(now: Date())
            #expect(usage.bucketSeconds == 10)
            #expect(usage.windowSeconds == 120)
        }
    }
}
