import Foundation
import Testing
@testable import TPGWCore

/// The stored form of forecast features: a round trip keeps every field, another version or model reads as outdated,
/// and a damaged or hostile record is refused (never trapping), while whatever it accepts folds and forecasts safely.
@Suite struct ForecastFeaturesCodecTests {
    typealias Codec = ForecastFeatures.Codec

    /// Features of a few packages of every synthetic family after `hours` hourly snapshots (0: never updated).
    static func samples(hours: [Int] = [0, 1, 5, 30, 200, 600]) -> [(label: String, features: ForecastFeatures, series: BacktestSeries)] {
        var out: [(String, ForecastFeatures, BacktestSeries)] = []
        for family in SyntheticFamily.allCases {
            for s in SyntheticWorkload.series(family, count: 2, seed: 7) {
                for n in hours {
                    var f = ForecastFeatures()
                    for i in 0..<min(n, s.usedBytes.count) { f.update(observedUsedBytes: s.usedBytes[i], at: s.start.addingTimeInterval(Double(i) * 3600)) }
                    out.append(("\(family) after \(n) h", f, s))
                }
            }
        }
        return out
    }

    /// Field by field, the profile and buffer by bit pattern (their NaNs, unknown hours, never compare equal with `==`).
    static func same(_ a: ForecastFeatures, _ b: ForecastFeatures) -> Bool {
        guard a.profile.map(\.bitPattern) == b.profile.map(\.bitPattern), a.buffer.map(\.bitPattern) == b.buffer.map(\.bitPattern)
        else { return false }
        var x = a
        var y = b
        x.profile = []
        y.profile = []
        x.buffer = []
        y.buffer = []
        return x == y
    }

    /// `bytes` with its checksum recomputed (a record damaged by someone who knew the format).
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var b = Array(bytes.dropLast(8))
        var w = Codec.Writer()
        w.uint64(Codec.fnv1a(b[...]))
        b.append(contentsOf: w.bytes)
        return b
    }

    @Test func roundTrip_keepsEveryField() throws {
        for (label, f, _) in Self.samples() {
            let bytes = Codec.encode(f)
            #expect(Self.same(try Codec.decode(bytes).get(), f), "\(label)")
            #expect(bytes.count < 800, "\(label): \(bytes.count) bytes")
        }
    }

    @Test func roundTrip_thenFolding_matchesFoldingWithoutIt() throws {
        for (label, f, s) in Self.samples(hours: [100, 400]) {
            var stored = try Codec.decode(Codec.encode(f)).get()
            var kept = f
            let n = f.historyHours > 0 ? 400 : 0
            for i in n..<min(n + 48, s.usedBytes.count) {
                let at = s.start.addingTimeInterval(Double(i) * 3600 + 1800)
                stored.update(observedUsedBytes: s.usedBytes[i], at: at)
                kept.update(observedUsedBytes: s.usedBytes[i], at: at)
            }
            #expect(Self.same(stored, kept), "\(label)")
        }
    }

    @Test(arguments: [
        ("another version", 4, [UInt8(Codec.version &+ 1), 0]),
        ("version 1 (the profile in Float32)", 4, [1, 0]),
        ("another model", 6, [0, 0, 0, 0, 0, 0, 0, 0]),
    ])
    func anotherVersionOrModel_isOutdated(_ label: String, _ offset: Int, _ patch: [UInt8]) {
        var bytes = Codec.encode(Self.samples(hours: [200])[0].features)
        bytes.replaceSubrange(offset..<(offset + patch.count), with: patch)
        #expect(Codec.decode(Self.resealed(bytes)) == .failure(.outdated), "\(label)")
    }

    @Test func damagedRecords_areCorrupt_neverTrapping() {
        let good = Codec.encode(Self.samples(hours: [200])[3].features)
        var cases: [(String, [UInt8])] = [("empty", []), ("magic only", Array(good.prefix(4))), ("no checksum", Array(good.dropLast(8)))]
        for cut in stride(from: 1, to: good.count, by: 37) { cases.append(("truncated at \(cut)", Array(good.prefix(cut)))) }
        for i in stride(from: 14, to: good.count, by: 13) {
            var b = good
            b[i] ^= 0x5a
            cases.append(("byte \(i) flipped", b))
        }
        cases.append(("a byte appended", good + [0]))
        for (label, bytes) in cases {
            guard case .failure = Codec.decode(bytes) else {
                Issue.record("\(label): accepted")
                continue
            }
        }
    }

    /// Records with a valid checksum whose values break what the features rely on.
    @Test func hostileValues_withAValidChecksum_areCorrupt() throws {
        let base = Self.samples(hours: [200])[3].features
        #expect(base.changePointHour != nil || true)
        var cases: [(String, ForecastFeatures)] = []
        func with(_ label: String, _ change: (inout ForecastFeatures) -> Void) {
            var f = base
            change(&f)
            cases.append((label, f))
        }
        with("profile count above the profile") { $0.profileCount = .max }
        with("profile count below it") { $0.profileCount -= 1 }
        with("open hour far from the last observation") { $0.openHour = .max }
        with("open hour in the past") { $0.openHour -= 1 }
        with("change point far back") { $0.changePointHour = .min }
        with("change point in the future") { $0.changePointHour = $0.openHour + 5 }
        with("day far away") { $0.day = .max - 1 }
        with("observation time infinite") { $0.lastObservedAt = .infinity }
        with("observation time absurd") { $0.lastObservedAt = 1e15 }
        with("NaN level sum") { $0.sumBytes = .nan }
        with("infinite noise") { $0.noiseVar = .infinity }
        with("negative history") { $0.historyHours = -1 }
        with("day hours out of range") { $0.dayHours = .max }
        with("NaN in the ring") { $0.buffer[0] = .nan }
        with("negative ring hour") { $0.buffer[1] = -1 }
        with("infinite day") { $0.buffer[ForecastFeatures.ringHours] = .infinity }
        with("infinite profile hour") { $0.profile[0] = .infinity }
        with("no observation but an open hour") {
            $0.lastObservedAt = nil
        }
        for (label, f) in cases {
            #expect(Codec.decode(Self.resealed(Codec.encode(f))) == .failure(.corrupt), "\(label)")
        }
        // Bytes no encoder writes: a flag of 2, an absent optional marked 7.
        var bytes = Codec.encode(base)
        let flagAt = bytes.count - 8 - (2 + 9) - (2 + 9) - 1
        bytes[flagAt] = 2
        #expect(Codec.decode(Self.resealed(bytes)) == .failure(.corrupt))
    }

    /// Random damage with the checksum recomputed: whatever is accepted must fold on and forecast without trapping.
    @Test func fuzzedRecords_thatDecode_foldAndForecastSafely() {
        var rng = SeededRandom(seed: 20261203)
        let samples = Self.samples(hours: [0, 30, 400])
        var accepted = 0
        for round in 0..<3000 {
            let (_, f, s) = samples[round % samples.count]
            var bytes = Codec.encode(f)
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let i = 14 + Int(rng.next() % UInt64(bytes.count - 22))
                bytes[i] = UInt8(truncatingIfNeeded: rng.next())
            }
            guard case .success(var g) = Codec.decode(Self.resealed(bytes)) else { continue }
            accepted += 1
            let last = g.lastObservedAt ?? s.start.timeIntervalSince1970
            for k in [1.0, 2, 30, 200] {
                g.update(observedUsedBytes: Int64(truncatingIfNeeded: rng.next() >> 20), at: Date(timeIntervalSince1970: last + k * 3600))
            }
            let p = PackageState(
                key: s.key, policy: s.policy, status: .active, capacityBytes: s.capacityBytes, usedBytes: s.capacityBytes / 2,
                createdAt: s.createdAt, activatedAt: nil, expiresAt: s.expiresAt, observedAt: Date(timeIntervalSince1970: last + 200 * 3600))
            _ = ProbabilisticForecaster.forecast(package: p, features: g, now: p.observedAt)
        }
        #expect(accepted > 100, "the fuzzing reached the folding: \(accepted)")
    }
}
