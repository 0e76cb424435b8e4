import Foundation
import Testing
import TPGWCore
@testable import bce_sim

/// `bce-sim --demo`: a calm fleet with three packages close to running out and one region that fails now and then.
@Suite struct SimulatorDemoTests {
    static let t0 = SimulatorTests.t0
    static let regions = ["bj", "gz", "su", "hkg", "fwh"]

    static func sim(demo: Bool) -> Simulator {
        var c = Simulator.Configuration(regions: regions, accessKeyID: "AK", secretAccessKey: "SK")
        c.packagesPerRegion = 30
        c.seed = 7
        c.demo = demo
        return Simulator(configuration: c, realNow: t0)
    }

    static func activeRatios(_ s: Simulator, region: String) -> [(id: String, ratio: Double)] {
        s.regions[region]!.order.compactMap { id in
            let p = s.package(region: region, id: id)!
            return p.status(at: t0) == .active ? (id, p.used / Double(p.capacity)) : nil
        }
    }

    @Test func demoFleet_isCalm_butForOneNearlyUsedUpPackageInEachOfTheFirstThreeRegions() {
        let s = Self.sim(demo: true)
        for (n, region) in Self.regions.enumerated() {
            let ratios = Self.activeRatios(s, region: region)
            let hot = ratios.filter { $0.ratio >= 0.85 }
            #expect(hot.count == (n < 3 ? 1 : 0), "\(region): \(hot)")
            #expect(ratios.filter { $0.ratio > 0.75 }.count == hot.count, "\(region): the others are used at a sustainable pace")
        }
        // Without --demo, the fleet is the usual mix, many of them far along.
        let usual = Self.sim(demo: false)
        #expect(Self.regions.flatMap { Self.activeRatios(usual, region: $0) }.filter { $0.ratio > 0.75 }.count > 5)
    }

    @Test func hotPackages_runOutWithinAFewSimulatedDays() {
        var s = Self.sim(demo: true)
        let hot = Self.regions.prefix(3).map { region in (region, Self.activeRatios(s, region: region).first { $0.ratio >= 0.85 }!.id) }
        s.advance(seconds: 4 * 86_400, real: Self.t0)
        let t = s.simulatedNow(real: Self.t0)
        for (region, id) in hot {
            #expect(s.package(region: region, id: id)!.status(at: t) == .usedUp, "\(region) \(id)")
        }
    }

    @Test func secondRegion_fails8Of48SimulatedHours_fromHour6() {
        let s = Self.sim(demo: true)
        let hour = { (h: Double) in Self.t0.addingTimeInterval(h * 3600) }
        #expect(!s.demoOutage(region: "gz", at: hour(5.9)))
        #expect(s.demoOutage(region: "gz", at: hour(6)))
        #expect(s.demoOutage(region: "gz", at: hour(13.9)))
        #expect(!s.demoOutage(region: "gz", at: hour(14)))
        #expect(s.demoOutage(region: "gz", at: hour(48 + 7)))
        #expect(!s.demoOutage(region: "bj", at: hour(7)))
        #expect(!Self.sim(demo: false).demoOutage(region: "gz", at: hour(7)))
    }
}
