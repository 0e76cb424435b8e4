import Foundation
import Testing
@testable import TPGWCore

@Suite struct ForecasterTests {
    let now = d("2026-11-22T12:00:00Z")

    @Test func fullTime_steadyBurn_exhaustsBeforeExpiry() {
        let snaps = stride(from: 24, through: 6, by: -6).map { h in
            Snapshot.make(now - Double(h) * hour, used: (50 - Int64(h)) * GiB)
        }
        let p = PackageState.make(used: 50 * GiB, expiresAt: now + 30 * day, observedAt: now)
        let f = Forecaster.forecast(package: p, snapshots: snaps, now: now)
        #expect(f == PackageForecast(burnBytesPerHour: Double(GiB), exhaustsAt: now + 50 * hour, exhaustsBeforeExpiry: true, unusedAtExpiryBytes: 0))
    }

    @Test func fullTime_slowBurn_forecastsBytesLeftAtExpiry() {
        let p = PackageState.make(capacity: 110 * GiB, used: 10 * GiB, expiresAt: now + 50 * hour, observedAt: now)
        let f = Forecaster.forecast(package: p, snapshots: [.make(now - 10 * hour, used: 0)], now: now)
        #expect(f.burnBytesPerHour == Double(GiB))
        #expect(f.exhaustsAt == now + 100 * hour)
        #expect(!f.exhaustsBeforeExpiry)
        #expect(f.unusedAtExpiryBytes == 50 * GiB)
    }

    /// A package bought 10 h ago with one observation: measured from its activation, not over 24 h.
    @Test func boughtMidWindow_singlePoint_measuresFromActivation() {
        let p = PackageState.make(used: 5 * GiB, createdAt: now - 10 * hour, observedAt: now)
        #expect(Forecaster.burnBytesPerHour(package: p, snapshots: [], now: now) == Double(GiB) / 2)
    }

    @Test func singlePointInWindow_usesLatestSnapshotBeforeTheWindow() {
        let p = PackageState.make(used: 34 * GiB, createdAt: now - 90 * day, observedAt: now)
        let snaps = [Snapshot.make(now - 72 * hour, used: 0), .make(now - 48 * hour, used: 10 * GiB)]
        #expect(Forecaster.burnBytesPerHour(package: p, snapshots: snaps, now: now) == Double(GiB) / 2)
    }

    @Test func noHistory_oldPackage_fallsBackToLifetimeAverage() {
        let p = PackageState.make(capacity: 200 * GiB, used: 100 * GiB, createdAt: now - 100 * hour, observedAt: now)
        #expect(Forecaster.burnBytesPerHour(package: p, snapshots: [], now: now) == Double(GiB))
    }

    @Test func nothingBurned_neverExhausts_andWastesEverything() {
        let p = PackageState.make(used: 0, createdAt: now, observedAt: now)
        let f = Forecaster.forecast(package: p, snapshots: [], now: now)
        #expect(f == PackageForecast(burnBytesPerHour: 0, exhaustsAt: nil, exhaustsBeforeExpiry: false, unusedAtExpiryBytes: 100 * GiB))
    }

    /// A decrease (an upstream correction) is not negative traffic: only the increases count.
    @Test func usageDecrease_isIgnored() {
        let snaps = [Snapshot.make(now - 3 * hour, used: 0), .make(now - 2 * hour, used: 10 * GiB), .make(now - hour, used: 5 * GiB)]
        let p = PackageState.make(used: 15 * GiB, observedAt: now)
        #expect(Forecaster.burnBytesPerHour(package: p, snapshots: snaps, now: now) == Double(20 * GiB) / 3)
    }

    /// Off-peak: 8 GiB over a day drawn in the 8 window hours: 1 GiB per window hour, 1/3 GiB per wall-clock hour;
    /// 92 GiB left need 92 window hours: 11 windows and 4 h of the 12th.
    @Test func offPeak_runwayCountsOnlyWindowHours() {
        let p = PackageState.make(policy: .offPeak, used: 8 * GiB, expiresAt: now + 30 * day, observedAt: now)
        let f = Forecaster.forecast(package: p, snapshots: [.make(now - day, used: 0)], now: now)
        #expect(abs(f.burnBytesPerHour - Double(GiB) / 3) < 1)
        #expect(f.exhaustsAt == d("2026-12-03T20:00:00Z"))
        #expect(f.exhaustsBeforeExpiry)
        #expect(f.unusedAtExpiryBytes == 0)
    }

    /// Off-peak with 5 days left: 5 windows of 8 GiB are drawn, 60 of 100 GiB are lost.
    @Test func offPeak_wasteCountsOnlyWindowHoursUntilExpiry() {
        let p = PackageState.make(policy: .offPeak, capacity: 108 * GiB, used: 8 * GiB, expiresAt: now + 5 * day, observedAt: now)
        let f = Forecaster.forecast(package: p, snapshots: [.make(now - day, used: 0)], now: now)
        #expect(!f.exhaustsBeforeExpiry)
        #expect(f.unusedAtExpiryBytes == 60 * GiB)
    }

    /// Observations within one window: the rate is per window hour, however short the span.
    @Test func offPeak_shortSpanInsideWindow_isScaledToADailyAverage() {
        let at = d("2026-11-22T20:00:00Z")
        let p = PackageState.make(policy: .offPeak, used: 3 * GiB, observedAt: at)
        let f = Forecaster.burnBytesPerHour(package: p, snapshots: [.make(d("2026-11-22T17:00:00Z"), used: 0)], now: at)
        #expect(abs(f - Double(GiB) / 3) < 1)
    }

    /// A source that has not been read for three days still forecasts from its last day of data.
    @Test func staleObservation_usesTheDayBeforeTheLastObservation() {
        let seen = now - 3 * day
        let p = PackageState.make(used: 30 * GiB, observedAt: seen)
        let snaps = [Snapshot.make(seen - 20 * hour, used: 10 * GiB), .make(seen - 10 * hour, used: 20 * GiB)]
        let f = Forecaster.forecast(package: p, snapshots: snaps, now: now)
        #expect(f.burnBytesPerHour == Double(GiB))
        #expect(f.exhaustsAt == seen + 70 * hour)
    }

    @Test(arguments: [(PackageStatus.usedUp, Int64(0)), (.expired, 40 * GiB), (.released, 40 * GiB)])
    func inactivePackage_hasNoExhaustion(_ status: PackageStatus, _ unused: Int64) {
        let p = PackageState.make(status: status, used: 60 * GiB, observedAt: now)
        let f = Forecaster.forecast(package: p, snapshots: [.make(now - hour, used: 59 * GiB)], now: now)
        #expect(f.exhaustsAt == nil)
        #expect(!f.exhaustsBeforeExpiry)
        #expect(f.unusedAtExpiryBytes == unused)
    }

    @Test func activeButFull_exhaustedAtObservation() {
        let p = PackageState.make(used: 100 * GiB, observedAt: now)
        let f = Forecaster.forecast(package: p, snapshots: [], now: now)
        #expect(f.exhaustsAt == now)
        #expect(f.exhaustsBeforeExpiry)
    }

    @Test func json_usesTheDocumentedFieldNamesAndRFC3339() throws {
        let f = PackageForecast(burnBytesPerHour: 52428800, exhaustsAt: d("2026-11-26T12:00:00Z"), exhaustsBeforeExpiry: true, unusedAtExpiryBytes: 0)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(f), as: UTF8.self)
        #expect(json == #"{"burnBytesPerHour":52428800,"exhaustsAt":"2026-11-26T12:00:00Z","exhaustsBeforeExpiry":true,"unusedAtExpiryBytes":0}"#)
        #expect(try JSONDecoder().decode(PackageForecast.self, from: Data(json.utf8)) == f)
    }
}
