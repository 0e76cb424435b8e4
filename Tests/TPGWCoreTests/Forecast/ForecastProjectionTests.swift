import Foundation
import Testing
@testable import TPGWCore

/// The flat-rate projection behind inactive packages and the lifetime-average fallback.
@Suite struct ForecastProjectionTests {
    let now = d("2026-11-22T12:00:00Z")

    @Test func fullTime_steadyBurn_exhaustsBeforeExpiry() {
        let p = PackageState.make(used: 50 * GiB, expiresAt: now + 30 * day, observedAt: now)
        let f = ForecastProjection.project(package: p, burnBytesPerHour: Double(GiB))
        #expect(f == PackageForecast(burnBytesPerHour: Double(GiB), exhaustsAt: now + 50 * hour, exhaustsBeforeExpiry: true, unusedAtExpiryBytes: 0))
    }

    @Test func fullTime_slowBurn_forecastsBytesLeftAtExpiry() {
        let p = PackageState.make(capacity: 110 * GiB, used: 10 * GiB, expiresAt: now + 50 * hour, observedAt: now)
        let f = ForecastProjection.project(package: p, burnBytesPerHour: Double(GiB))
        #expect(f.exhaustsAt == now + 100 * hour)
        #expect(!f.exhaustsBeforeExpiry)
        #expect(f.unusedAtExpiryBytes == 50 * GiB)
    }

    @Test func nothingBurned_neverExhausts_andWastesEverything() {
        let p = PackageState.make(used: 0, createdAt: now, observedAt: now)
        let f = ForecastProjection.project(package: p, burnBytesPerHour: 0)
        #expect(f == PackageForecast(burnBytesPerHour: 0, exhaustsAt: nil, exhaustsBeforeExpiry: false, unusedAtExpiryBytes: 100 * GiB))
    }

    /// Off-peak: 1/3 GiB per wall-clock hour is 1 GiB per hour of Baidu's 8-hour window; 92 GiB left need 92 window
    /// hours: 11 windows and 4 h of the 12th.
    @Test func offPeak_runwayCountsOnlyWindowHours() {
        let p = PackageState.make(policy: .offPeak, used: 8 * GiB, expiresAt: now + 30 * day, observedAt: now)
        let f = ForecastProjection.project(package: p, burnBytesPerHour: Double(GiB) / 3)
        #expect(f.exhaustsAt.map { abs($0.timeIntervalSince(d("2026-12-03T20:00:00Z"))) < 1 } == true)
        #expect(f.exhaustsBeforeExpiry)
        #expect(f.unusedAtExpiryBytes == 0)
    }

    /// The account's window, not an assumed 8 hours: a 6-hour window (Tencent-style, 00:00-06:00 UTC+8 = 16:00-22:00
    /// UTC) draws 1/4 GiB per wall-clock hour as 1 GiB per window hour; 12 GiB need two windows.
    @Test func offPeak_usesTheAccountsWindowLength() {
        let window = OffPeakWindow(startMinute: 0, endMinute: 6 * 60, utcOffsetMinutes: 8 * 60)
        let p = PackageState.make(policy: .offPeak, capacity: 20 * GiB, used: 8 * GiB, expiresAt: now + 30 * day, observedAt: now)
        let f = ForecastProjection.project(package: p, burnBytesPerHour: Double(GiB) / 4, offPeak: window)
        #expect(f.exhaustsAt.map { abs($0.timeIntervalSince(d("2026-11-23T22:00:00Z"))) < 1 } == true)
    }

    /// Off-peak with 5 days left: 5 windows of 8 GiB are drawn, 60 of 100 GiB are lost.
    @Test func offPeak_wasteCountsOnlyWindowHoursUntilExpiry() {
        let p = PackageState.make(policy: .offPeak, capacity: 108 * GiB, used: 8 * GiB, expiresAt: now + 5 * day, observedAt: now)
        let f = ForecastProjection.project(package: p, burnBytesPerHour: Double(GiB) / 3)
        #expect(!f.exhaustsBeforeExpiry)
        #expect(abs(f.unusedAtExpiryBytes - 60 * GiB) < 16)
    }

    @Test(arguments: [(PackageStatus.usedUp, Int64(0)), (.expired, 40 * GiB), (.released, 40 * GiB)])
    func inactivePackage_hasNoExhaustion(_ status: PackageStatus, _ unused: Int64) {
        let p = PackageState.make(status: status, used: 60 * GiB, observedAt: now)
        let f = ForecastProjection.project(package: p, burnBytesPerHour: Double(GiB))
        #expect(f.exhaustsAt == nil)
        #expect(!f.exhaustsBeforeExpiry)
        #expect(f.unusedAtExpiryBytes == unused)
    }

    @Test func activeButFull_exhaustedAtObservation() {
        let p = PackageState.make(used: 100 * GiB, observedAt: now)
        let f = ForecastProjection.project(package: p, burnBytesPerHour: 0)
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
