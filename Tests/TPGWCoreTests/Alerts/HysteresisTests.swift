import Testing
@testable import TPGWCore

@Suite struct HysteresisTests {
    @Test(arguments: [
        (0.79, nil, 0), (0.78, nil, 0), (0.8, 0, 0), (0.93, 0, 1), (0.95, 1, 1), (1.0, 1, 1), (0.779, nil, nil),
    ] as [(Double, Int?, Int?)])
    func ratioLevels_breachAtThresholdAndHoldWithinTwoPoints(_ v: Double, _ breached: Int?, _ held: Int?) {
        let h = Hysteresis.ratio([0.8, 0.95])
        #expect(h.breachedLevel(v) == breached)
        #expect(h.heldLevel(v) == held)
    }

    @Test(arguments: [(100.0, 0, 0), (99.0, 0, 0), (101.0, nil, 0), (105.0, nil, 0), (105.1, nil, nil)] as [(Double, Int?, Int?)])
    func quantityBelow_holdsWithinFivePercent(_ v: Double, _ breached: Int?, _ held: Int?) {
        let h = Hysteresis.quantity(100, .below)
        #expect(h.breachedLevel(v) == breached)
        #expect(h.heldLevel(v) == held)
    }

    @Test func flag_hasNoMargin() {
        #expect(Hysteresis.flag.breachedLevel(1) == 0)
        #expect(Hysteresis.flag.heldLevel(0) == nil)
    }
}
