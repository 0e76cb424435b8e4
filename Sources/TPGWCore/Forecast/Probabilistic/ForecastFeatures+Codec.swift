import Foundation

/// The stored form of ``ForecastFeatures`` (table `forecast_features`, migration 0020): a versioned little-endian
/// binary record, about 0.75 KB, so a start loads each package's features instead of refolding 28 days of rows.
///
/// Layout: magic `TPFF`, ``version`` (UInt16), ``modelFingerprint`` (UInt64), then per field group (the profile as
/// Float16 bit patterns, the buffer as Float32, then ``doubles``, ``int64s``, ``int32s``, ``int16s``, ``int8s``,
/// ``flags``, ``optionalDoubles``, ``optionalInt64s``) its count (UInt16) and its values, then an FNV-1a 64 checksum
/// of everything before it.
///
/// Stored rows are hostile input (another build wrote them, a disk or an operator changed them): ``decode(_:)``
/// never traps and answers nil for anything it does not fully trust (another version or model, wrong counts, a bad
/// checksum, values that break the features' invariants), and the caller folds the package's history instead.
///
/// **Extending**: a new stored field of ``ForecastFeatures`` goes in one of the field tables below and ``version``
/// goes up by one; a change of what a field means (the model's update rules) also bumps ``version``. Old rows then
/// read as outdated and are rebuilt from history. The round-trip test fails for a stored field left out of the tables.
extension ForecastFeatures {
    package enum Codec {
        /// Bump on any change of the fields below or of what they mean. 2: the profile in half precision (version 1
        /// stored it as Float32 in the buffer's first 168 slots; such rows are outdated and rebuilt from history).
        /// 3: no `dayShape` (a day's seen share comes from the current table), and the daily ring holds each day's
        /// own bytes (version 2 scaled days of the first weeks by up to 1.2): rows of 2 are rebuilt from history.
        package static let version: UInt16 = 3
        static let magic: [UInt8] = Array("TPFF".utf8)

        // MARK: The fields (the one place to extend; key paths are immutable, so sharing them is safe)

        nonisolated(unsafe) static let doubles: [WritableKeyPath<ForecastFeatures, Double>] = [
            \.openBytes, \.sumBytes, \.sumShape, \.sumShapeSquares, \.longBytes, \.longShape, \.longShapeSquares,
            \.noiseVar, \.noiseWeight, \.robustVar, \.profileSum, \.dayBytes,
        ]
        nonisolated(unsafe) static let int64s: [WritableKeyPath<ForecastFeatures, Int64>] = [\.lastUsedBytes, \.openHour, \.day]
        nonisolated(unsafe) static let int32s: [WritableKeyPath<ForecastFeatures, Int32>] = [\.historyHours, \.levelHours]
        nonisolated(unsafe) static let int16s: [WritableKeyPath<ForecastFeatures, Int16>] = [\.profileCount]
        nonisolated(unsafe) static let int8s: [WritableKeyPath<ForecastFeatures, Int8>] = [\.dayHours]
        nonisolated(unsafe) static let flags: [WritableKeyPath<ForecastFeatures, Bool>] = [\.openObserved]
        nonisolated(unsafe) static let optionalDoubles: [WritableKeyPath<ForecastFeatures, Double?>] = [\.lastObservedAt]
        nonisolated(unsafe) static let optionalInt64s: [WritableKeyPath<ForecastFeatures, Int64?>] = [\.changePointHour]

        /// A hash of the model's constants: features made under other constants (another tuning) are outdated.
        package static let modelFingerprint: UInt64 = {
            var w = Writer()
            for v in [Int64(profileHours), Int64(ringHours), Int64(trendDays), maxGapHours, profileLag] { w.int64(v) }
            for v in [levelTau, longLevelTau, noiseTau, changeZ, changeRatio, observedSpan, Double(profileAlpha)] { w.double(v) }
            return fnv1a(w.bytes[...])
        }()

        // MARK: Encode

        /// The stored record of `f`.
        package static func encode(_ f: ForecastFeatures) -> [UInt8] {
            var w = Writer()
            w.bytes.reserveCapacity(64 + f.profile.count * 2 + f.buffer.count * 4 + doubles.count * 8 + int64s.count * 8 + 40)
            w.bytes.append(contentsOf: magic)
            w.uint16(version)
            w.uint64(modelFingerprint)
            w.uint16(UInt16(f.profile.count))
            w.halves(f.profile)
            w.uint16(UInt16(f.buffer.count))
            w.floats(f.buffer)
            w.uint16(UInt16(doubles.count))
            for k in doubles { w.double(f[keyPath: k]) }
            w.uint16(UInt16(int64s.count))
            for k in int64s { w.int64(f[keyPath: k]) }
            w.uint16(UInt16(int32s.count))
            for k in int32s { w.uint32(UInt32(bitPattern: f[keyPath: k])) }
            w.uint16(UInt16(int16s.count))
            for k in int16s { w.uint16(UInt16(bitPattern: f[keyPath: k])) }
            w.uint16(UInt16(int8s.count))
            for k in int8s { w.bytes.append(UInt8(bitPattern: f[keyPath: k])) }
            w.uint16(UInt16(flags.count))
            for k in flags { w.bytes.append(f[keyPath: k] ? 1 : 0) }
            w.uint16(UInt16(optionalDoubles.count))
            for k in optionalDoubles {
                let v = f[keyPath: k]
                w.bytes.append(v == nil ? 0 : 1)
                w.double(v ?? 0)
            }
            w.uint16(UInt16(optionalInt64s.count))
            for k in optionalInt64s {
                let v = f[keyPath: k]
                w.bytes.append(v == nil ? 0 : 1)
                w.int64(v ?? 0)
            }
            w.uint64(fnv1a(w.bytes[...]))
            return w.bytes
        }

        // MARK: Decode

        /// Why a record was not used.
        package enum Rejection: String, Error, Sendable, Equatable {
            /// Another format version or model: expected after an upgrade.
            case outdated
            /// Malformed, a bad checksum or values that break the invariants.
            case corrupt
        }

        /// The features in `bytes`, or why they cannot be used. Never traps.
        package static func decode(_ bytes: [UInt8]) -> Result<ForecastFeatures, Rejection> {
            var r = Reader(bytes: bytes[...])
            guard r.take(4).map(Array.init) == magic else { return .failure(.corrupt) }
            guard let v = r.uint16(), let model = r.uint64() else { return .failure(.corrupt) }
            guard v == version, model == modelFingerprint else { return .failure(.outdated) }
            guard bytes.count >= 8 else { return .failure(.corrupt) }
            let body = bytes[..<(bytes.count - 8)]
            var tail = Reader(bytes: bytes[(bytes.count - 8)...])
            guard tail.uint64() == fnv1a(body) else { return .failure(.corrupt) }
            var f = ForecastFeatures()
            guard r.uint16().map(Int.init) == f.profile.count else { return .failure(.outdated) }
            guard r.halves(into: &f.profile) else { return .failure(.corrupt) }
            guard r.uint16().map(Int.init) == f.buffer.count else { return .failure(.outdated) }
            guard r.floats(into: &f.buffer) else { return .failure(.corrupt) }
            guard r.uint16().map(Int.init) == doubles.count else { return .failure(.outdated) }
            for k in doubles {
                guard let x = r.double() else { return .failure(.corrupt) }
                f[keyPath: k] = x
            }
            guard r.uint16().map(Int.init) == int64s.count else { return .failure(.outdated) }
            for k in int64s {
                guard let x = r.int64() else { return .failure(.corrupt) }
                f[keyPath: k] = x
            }
            guard r.uint16().map(Int.init) == int32s.count else { return .failure(.outdated) }
            for k in int32s {
                guard let x = r.uint32() else { return .failure(.corrupt) }
                f[keyPath: k] = Int32(bitPattern: x)
            }
            guard r.uint16().map(Int.init) == int16s.count else { return .failure(.outdated) }
            for k in int16s {
                guard let x = r.uint16() else { return .failure(.corrupt) }
                f[keyPath: k] = Int16(bitPattern: x)
            }
            guard r.uint16().map(Int.init) == int8s.count else { return .failure(.outdated) }
            for k in int8s {
                guard let x = r.take(1)?.first else { return .failure(.corrupt) }
                f[keyPath: k] = Int8(bitPattern: x)
            }
            guard r.uint16().map(Int.init) == flags.count else { return .failure(.outdated) }
            for k in flags {
                guard let x = r.take(1)?.first, x <= 1 else { return .failure(.corrupt) }
                f[keyPath: k] = x == 1
            }
            guard r.uint16().map(Int.init) == optionalDoubles.count else { return .failure(.outdated) }
            for k in optionalDoubles {
                guard let present = r.take(1)?.first, present <= 1, let x = r.double() else { return .failure(.corrupt) }
                f[keyPath: k] = present == 1 ? x : nil
            }
            guard r.uint16().map(Int.init) == optionalInt64s.count else { return .failure(.outdated) }
            for k in optionalInt64s {
                guard let present = r.take(1)?.first, present <= 1, let x = r.int64() else { return .failure(.corrupt) }
                f[keyPath: k] = present == 1 ? x : nil
            }
            guard r.remaining == 8, isConsistent(f) else { return .failure(.corrupt) }
            return .success(f)
        }

        /// The invariants ``ForecastFeatures/update(observedUsedBytes:at:)`` keeps, and what its arithmetic relies on
        /// (hour indices close to each other, a profile count that matches the profile): a record breaking any of
        /// them was not written by the features and is not folded on.
        static func isConsistent(_ f: ForecastFeatures) -> Bool {
            for k in doubles where !f[keyPath: k].isFinite { return false }
            var seen: Int16 = 0
            for v in f.profile {
                guard v.isNaN || v.isFinite else { return false }
                if !v.isNaN { seen += 1 }
            }
            for (i, v) in f.buffer.enumerated() {
                if i < ringHours {
                    guard v.isFinite, v >= 0 else { return false }
                } else {
                    guard v.isNaN || v.isFinite else { return false }
                }
            }
            guard f.profileCount == seen, f.historyHours >= 0, f.levelHours >= 0, (0...26).contains(f.dayHours) else { return false }
            guard let last = f.lastObservedAt else {
                return f.openHour == 0 && f.historyHours == 0 && f.levelHours == 0 && f.changePointHour == nil && f.day == .min
            }
            guard last.isFinite, abs(last) < 1e11, f.openHour == BeijingHour.index(last) else { return false }
            // Hours far from the open hour would overflow the arithmetic on them; the features never hold such.
            let span: Int64 = 100 * 8760
            if let c = f.changePointHour, c > f.openHour + 1 || c < f.openHour - span { return false }
            if f.day != .min {
                let d = f.day.subtractingReportingOverflow(BeijingHour.day(f.openHour))
                if d.overflow || d.partialValue > span / 24 || d.partialValue < -span / 24 { return false }
            }
            return true
        }

        // MARK: Bytes

        /// FNV-1a, 64 bits.
        package static func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
            bytes.withUnsafeBufferPointer { buffer in
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                for b in buffer {
                    h ^= UInt64(b)
                    h &*= 0x0000_0100_0000_01b3
                }
                return h
            }
        }

        /// Little-endian writes (whole values at once: a record is written per package and poll hour).
        struct Writer {
            var bytes: [UInt8] = []
            mutating func uint16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
            mutating func uint32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
            mutating func uint64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
            mutating func int64(_ v: Int64) { uint64(UInt64(bitPattern: v)) }
            mutating func double(_ v: Double) { uint64(v.bitPattern) }
            mutating func floats(_ values: [Float]) { block(values, width: 4) { UInt64($0.bitPattern) } }
            mutating func halves(_ values: [Float16]) { block(values, width: 2) { UInt64($0.bitPattern) } }
            /// Fixed-width values as one block: their memory on a little-endian machine, value by value elsewhere.
            private mutating func block<T: BitwiseCopyable>(_ values: [T], width: Int, bits: (T) -> UInt64) {
                #if _endian(little)
                values.withUnsafeBytes { bytes.append(contentsOf: $0) }
                #else
                for v in values {
                    let x = bits(v)
                    for k in 0..<width { bytes.append(UInt8(truncatingIfNeeded: x >> (8 * UInt64(k)))) }
                }
                #endif
            }
        }

        struct Reader {
            var bytes: ArraySlice<UInt8>
            var remaining: Int { bytes.count }
            mutating func take(_ n: Int) -> ArraySlice<UInt8>? {
                guard bytes.count >= n else { return nil }
                defer { bytes = bytes.dropFirst(n) }
                return bytes.prefix(n)
            }
            mutating func unsigned(_ n: Int) -> UInt64? {
                guard let b = take(n) else { return nil }
                var v: UInt64 = 0
                for (i, x) in b.enumerated() { v |= UInt64(x) << (8 * UInt64(i)) }
                return v
            }
            mutating func uint16() -> UInt16? { unsigned(2).map { UInt16(truncatingIfNeeded: $0) } }
            mutating func uint32() -> UInt32? { unsigned(4).map { UInt32(truncatingIfNeeded: $0) } }
            mutating func uint64() -> UInt64? { unsigned(8) }
            mutating func int64() -> Int64? { unsigned(8).map { Int64(bitPattern: $0) } }
            mutating func double() -> Double? { unsigned(8).map { Double(bitPattern: $0) } }
            /// Fills `values` (its count says how many); false when the bytes run out.
            mutating func floats(into values: inout [Float]) -> Bool {
                block(into: &values, width: 4) { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }
            }
            /// Fills `values` (its count says how many); false when the bytes run out.
            mutating func halves(into values: inout [Float16]) -> Bool {
                block(into: &values, width: 2) { Float16(bitPattern: UInt16(truncatingIfNeeded: $0)) }
            }
            private mutating func block<T: BitwiseCopyable>(into values: inout [T], width: Int, value: (UInt64) -> T) -> Bool {
                guard let b = take(values.count * width) else { return false }
                #if _endian(little)
                values.withUnsafeMutableBytes { target in b.withUnsafeBytes { target.copyMemory(from: $0) } }
                #else
                for i in values.indices {
                    var x: UInt64 = 0
                    for k in 0..<width { x |= UInt64(b[b.startIndex + i * width + k]) << (8 * UInt64(k)) }
                    values[i] = value(x)
                }
                #endif
                return true
            }
        }
    }
}
