import Foundation
import Testing
@testable import TPGWCore

@Suite struct SummaryAggregatorTests {
    let now = d("2026-11-22T08:00:00Z")

    var packages: [PackageState] {
        [
            .make(id: "a", region: "bj", capacity: 100 * GiB, used: 40 * GiB, expiresAt: now + 10 * day),
            .make(id: "b", region: "bj", policy: .offPeak, capacity: 50 * GiB, used: 10 * GiB, expiresAt: now + 5 * day),
            .make(id: "c", region: "gz", capacity: 10 * GiB, used: 2 * GiB, expiresAt: now + 20 * day),
            .make(id: "d", region: "gz", status: .expired, capacity: 10 * GiB, used: 1 * GiB, expiresAt: now - day),
            .make(id: "e", account: "test", region: "gz", status: .usedUp, capacity: 10 * GiB, used: 10 * GiB),
        ]
    }

    var forecasts: [PackageKey: PackageForecast] {
        let p = packages
        return [
            p[0].key: .init(burnBytesPerHour: 1000, exhaustsAt: now + 3 * day, exhaustsBeforeExpiry: true, unusedAtExpiryBytes: 0),
            p[1].key: .init(burnBytesPerHour: 500, exhaustsAt: now + 9 * day, exhaustsBeforeExpiry: false, unusedAtExpiryBytes: 7 * GiB),
            p[2].key: .init(burnBytesPerHour: 200, exhaustsAt: now + 2 * day, exhaustsBeforeExpiry: true, unusedAtExpiryBytes: 0),
        ]
    }

    var pools: [PoolForecast] {
        [
            PoolForecast(source: .init(account: "prod", region: "gz"), remainingBytes: 8 * GiB, activePackages: 1, burnBytesPerHour: 200,
                         demand: .flat(200), nextExhaustion: nil, emptyAt: now + 2 * day, packages: []),
            PoolForecast(source: .init(account: "prod", region: "bj"), remainingBytes: 100 * GiB, activePackages: 2, burnBytesPerHour: 1500,
                         demand: .flat(1500), nextExhaustion: nil, emptyAt: now + 4 * day, packages: []),
        ]
    }

    @Test func byRegion_totalsActiveBytesAndCountsEveryStatus() throws {
        let s = SummaryAggregator.summarize(packages: packages, forecasts: forecasts, pools: pools, groupBy: .region)
        #expect(s.groups.map(\.key) == ["bj", "gz"])
        let bj = s.groups[0]
        #expect(bj.capacityBytes == 150 * GiB)
        #expect(bj.usedBytes == 50 * GiB)
        #expect(bj.remainingBytes == 100 * GiB)
        #expect(bj.packageCount == 2)
        #expect(bj.burnBytesPerHour == 1500)
        #expect(bj.earliestExhaustion?.key.id == "a")
        #expect(bj.earliestExpiry == PackageTime(key: packages[1].key, at: now + 5 * day))
        #expect(bj.unusedAtExpiryBytes == 7 * GiB)
        #expect(bj.poolEmptyAt == now + 4 * day)
        let gz = s.groups[1]
        #expect(gz.capacityBytes == 10 * GiB)
        #expect(gz.packageCount == 3)
        #expect(gz.statusCounts == .init(active: 1, usedUp: 1, expired: 1))
        #expect(gz.pools.map(\.source.region) == ["gz"])
        #expect(s.total.packageCount == 5)
        #expect(s.total.remainingBytes == 108 * GiB)
        #expect(s.total.earliestExhaustion?.key.id == "c")
        #expect(s.total.poolEmptyAt == now + 2 * day)
    }

    @Test func byPolicyOrStatus_hasNoPools() {
        let byPolicy = SummaryAggregator.summarize(packages: packages, forecasts: forecasts, pools: pools, groupBy: .policy)
        #expect(byPolicy.groups.map(\.key) == ["fullTime", "offPeak"])
        #expect(byPolicy.groups.allSatisfy { $0.pools.isEmpty && $0.poolEmptyAt == nil })
        let byStatus = SummaryAggregator.summarize(packages: packages, forecasts: forecasts, pools: pools, groupBy: .status)
        #expect(byStatus.groups.map(\.key) == ["active", "expired", "usedUp"])
        #expect(byStatus.groups[1].remainingBytes == 0)
        #expect(byStatus.groups[1].packageCount == 1)
    }

    @Test func byAccount_groupsPoolsOfTheAccount() {
        let s = SummaryAggregator.summarize(packages: packages, forecasts: forecasts, pools: pools, groupBy: .account)
        #expect(s.groups.map(\.key) == ["prod", "test"])
        #expect(s.groups[0].pools.map(\.source.region) == ["bj", "gz"])
        #expect(s.groups[1].pools.isEmpty)
    }

    @Test func json_hasStableCamelCaseNames() throws {
        let s = SummaryAggregator.summarize(packages: [packages[0]], forecasts: forecasts, pools: [], groupBy: .region)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(s.groups[0]), as: UTF8.self)
        #expect(json.contains(#""earliestExhaustion":{"at":"2026-11-25T08:00:00Z","key":"bce:prod:bj:a"}"#))
        #expect(json.contains(#""poolEmptyAt":null"#))
        #expect(json.contains(#""statusCounts":{"active":1,"deleted":0,"expired":0,"refunded":0,"released":0,"unknown":0,"usedUp":0}"#))
        #expect(try JSONDecoder().decode(SummaryGroup.self, from: Data(json.utf8)) == s.groups[0])
    }
}
