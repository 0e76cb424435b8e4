import Foundation
import Testing
import TPGWCore
@testable import TPGWGateway

/// A rebuild spread over cores gives the same segments as one on the calling thread, and a rebuild keeps the
/// previous forecasts `ForecastReuse` admits (the same state: exactly the forecast made afresh) and remakes the others.
@Suite struct ViewForecastReuseTests {
    typealias V = GatewayViewTests

    static func sameSegments(_ a: [ViewSegment], _ b: [ViewSegment]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.source == y.source, x.packages.map(\.key) == y.packages.map(\.key), x.forecasts == y.forecasts, x.stamps == y.stamps,
                  x.sortOrder == y.sortOrder, x.pool == y.pool else { return false }
        }
        return true
    }

    @Test func concurrentSegments_equalSequentialOnes() async {
        let input = V.input(perSource: 300)
        let sequential = GatewayView.segments(input, now: V.now)
        #expect(Self.sameSegments(await GatewayView.segmentsConcurrently(input, now: V.now), sequential))
        let one = SourceID(account: "prod", region: "gz")
        #expect(Self.sameSegments(
            await GatewayView.segmentsConcurrently(input, only: [one], now: V.now), GatewayView.segments(input, only: [one], now: V.now)))
    }

    @Test func rebuild_reusesAdmittedForecasts_andRemakesTheRest() async {
        let input = V.input()
        let first = GatewayView.build(input, now: V.now)
        // The same state again: every forecast with features is reused, and equals the one made afresh.
        let again = await GatewayView.segmentsConcurrently(input, previous: first, now: V.now)
        #expect(Self.sameSegments(again, first.segments))

        // Two packages moved: one a little (reused), one by 10 % of its remaining (made afresh).
        var moved = input
        let burning = input.packages.indices.filter {
            input.packages[$0].status == .active && input.features[input.packages[$0].key] != nil && input.packages[$0].remainingBytes > 1 << 30
        }
        let (little, much) = (burning[0], burning[1])
        moved.packages[little].usedBytes += moved.packages[little].remainingBytes / 1000
        moved.packages[much].usedBytes += moved.packages[much].remainingBytes / 10
        let rebuilt = GatewayView.assemble(segments: await GatewayView.segmentsConcurrently(moved, previous: first, now: V.now), sources: input.sources, now: V.now)
        let fresh = GatewayView.build(moved, now: V.now)
        for (i, expected) in [(little, first), (much, fresh)] {
            let key = input.packages[i].key
            #expect(rebuilt.package(key)?.forecast == expected.package(key)?.forecast, "\(key)")
        }
        #expect(rebuilt.package(input.packages[much].key)?.forecast != first.package(input.packages[much].key)?.forecast)

        // Other rules (another off-peak window) reuse nothing.
        var ruled = input
        for s in Set(input.packages.map(\.key.source)) { ruled.rules[s] = PoolRules(offPeak: OffPeakWindow(startSecondOfDay: 3600, length: 5 * 3600)) }
        let other = await GatewayView.segmentsConcurrently(ruled, previous: first, now: V.now)
        #expect(Self.sameSegments(other, GatewayView.segments(ruled, now: V.now)))
    }
}
