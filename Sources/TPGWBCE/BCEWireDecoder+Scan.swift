import Foundation
import TPGWCore

/// The list and package decoders, field by field over `WireScanner`.
///
/// Per package this allocates only its `raw` copy (ids, status and policy names and the common
/// `packageType` need no heap String; dates and byte counts are read straight from the bytes, and the id
/// is checked on them too).
///
/// Malformed JSON fails the whole body. A well-formed package that tpgw cannot represent (a missing id, a
/// byte count that is not a number, negative or above `UpstreamBounds.maxBytes`, a date outside
/// `UpstreamBounds.dates`...) is skipped and reported as a `SkippedPackage` naming the package and the field; an
/// unknown status or deduct policy is not a problem: it maps to `.unknown`.
extension BCEWireDecoder {
    /// Runs a scanner step; malformed JSON becomes a `.decoding` error.
    @inline(__always)
    func syntax<T>(_ step: () throws(WireScanner.Failure) -> T) throws(BCEError) -> T {
        do {
            return try step()
        } catch {
            throw failure("response is not JSON: \(error)")
        }
    }

    /// The top-level members of `body` named in `names` (the last of duplicates wins), through the same scanner as
    /// list pages (`WireScanner.members`). Malformed JSON is a `.decoding` error; a body that is not an object has none of them.
    package func members(_ body: [UInt8], _ names: Set<String>) throws(BCEError) -> [String: WireMember] {
        try syntax { () throws(WireScanner.Failure) in try WireScanner.members(body, names) }
    }

    /// The top-level members of a list page that matter.
    private struct ListMembers {
        var packages: [BCEPackage]? = nil
        var skipped: [SkippedPackage] = []
        /// What `packageList` held when it was not an array (`.missing` when absent).
        var packageList: WireScalar = .missing
        var isTruncated: WireScalar = .missing
        var nextMarker: WireScalar = .missing
        var marker: WireScalar = .missing
        var maxKeys: WireScalar = .missing
    }

    func scanListPage(_ buf: UnsafeBufferPointer<UInt8>) throws(BCEError) -> BCEListPage {
        var s = WireScanner(buf)
        let m = try scanListMembers(&s, decodePackages: true)
        guard let packages = m.packages else {
            if case .missing = m.packageList { throw failure("packageList: missing") }
            throw failure("packageList: expected an array, got \(m.packageList.typeName)")
        }
        let (isTruncated, nextMarker) = try paging(m, s)
        return BCEListPage(
            marker: try optionalString(m.marker, "marker", s), maxKeys: try optionalInt(m.maxKeys, "maxKeys", s).map { Int($0) },
            isTruncated: isTruncated, nextMarker: nextMarker, packages: packages, skipped: m.skipped)
    }

    func scanListPaging(_ buf: UnsafeBufferPointer<UInt8>) throws(BCEError) -> (isTruncated: Bool, nextMarker: String?) {
        var s = WireScanner(buf)
        let m = try scanListMembers(&s, decodePackages: false, stopAtPaging: true)
        return try paging(m, s)
    }

    /// With `stopAtPaging`, stops as soon as `isTruncated` is false, or true with a `nextMarker` (BCE sends both
    /// before `packageList`), leaving the rest of the body unread.
    private func scanListMembers(_ s: inout WireScanner, decodePackages: Bool, stopAtPaging: Bool = false) throws(BCEError) -> ListMembers {
        let top = s.peekTypeName()
        guard try syntax({ () throws(WireScanner.Failure) in try s.beginBodyObject() }) else { throw failure("response: expected an object, got \(top)") }
        var m = ListMembers()
        while let key = try syntax({ () throws(WireScanner.Failure) in try s.nextKey() }) {
            if s.key(key, is: "packageList") {
                if decodePackages && s.peek(UInt8(ascii: "[")) {
                    (m.packages, m.skipped) = try scanPackages(&s)
                    m.packageList = .array
                } else {
                    m.packageList = try syntax { () throws(WireScanner.Failure) in try s.scalar() }
                    m.packages = nil
                    m.skipped = []
                }
            } else if s.key(key, is: "isTruncated") {
                m.isTruncated = try syntax { () throws(WireScanner.Failure) in try s.scalar() }
            } else if s.key(key, is: "nextMarker") {
                m.nextMarker = try syntax { () throws(WireScanner.Failure) in try s.scalar() }
            } else if s.key(key, is: "marker") {
                m.marker = try syntax { () throws(WireScanner.Failure) in try s.scalar() }
            } else if s.key(key, is: "maxKeys") {
                m.maxKeys = try syntax { () throws(WireScanner.Failure) in try s.scalar() }
            } else {
                try syntax { () throws(WireScanner.Failure) in try s.skipValue() }
            }
            if stopAtPaging {
                switch (m.isTruncated, m.nextMarker) {
                case (.bool(false), _), (.bool(true), .string): return m
                default: break
                }
            }
        }
        try syntax { () throws(WireScanner.Failure) in try s.end() }
        return m
    }

    private func paging(_ m: ListMembers, _ s: WireScanner) throws(BCEError) -> (isTruncated: Bool, nextMarker: String?) {
        let isTruncated: Bool
        switch m.isTruncated {
        case .bool(let b): isTruncated = b
        case .missing, .null: isTruncated = false
        default: throw failure("isTruncated: expected a boolean, got \(m.isTruncated.typeName)")
        }
        let nextMarker = try optionalString(m.nextMarker, "nextMarker", s)
        if isTruncated && (nextMarker ?? "").isEmpty { throw failure("nextMarker: missing while isTruncated is true") }
        return (isTruncated, isTruncated ? nextMarker : nil)
    }

    /// The list's packages; one that tpgw cannot represent is skipped and reported, not fatal.
    private func scanPackages(_ s: inout WireScanner) throws(BCEError) -> (packages: [BCEPackage], skipped: [SkippedPackage]) {
        try syntax { () throws(WireScanner.Failure) in
            try s.keptAndSkipped(reserving: min(1000, s.bytes.count / 256)) { s, n throws(WireScanner.Failure) in try scanPackage(&s, index: n) }
        }
    }

    /// The fields of one package object as scanned.
    private struct PackageFields {
        var id = WireScalar.missing
        var deductPolicy = WireScalar.missing
        var packageType = WireScalar.missing
        var status = WireScalar.missing
        var capacity = WireScalar.missing
        var usedCapacity = WireScalar.missing
        var createTime = WireScalar.missing
        var activeTime = WireScalar.missing
        var expireTime = WireScalar.missing
    }

    /// Where a package sits, for error messages: `packageList[n]` in a list, `package` in a detail body.
    private func path(_ index: Int?) -> String { index.map { "packageList[\($0)]" } ?? "package" }

    /// One package object at the scanner's offset (a list element when `index` is set). Malformed JSON throws;
    /// a well-formed package tpgw cannot represent is a `.failure` naming the field, so a list can skip it.
    func scanPackage(_ s: inout WireScanner, index: Int?) throws(WireScanner.Failure) -> Result<BCEPackage, SkippedPackage> {
        let type = s.peekTypeName()
        guard type == "object" else {
            try s.skipValue()
            return .failure(SkippedPackage(id: nil, position: path(index), field: "package", reason: "expected an object, got \(type)"))
        }
        let start = s.offset
        try s.beginObject()
        var f = PackageFields()
        while let key = try s.nextKey() {
            let v = try s.scalar()
            if s.key(key, is: "id") { f.id = v }
            else if s.key(key, is: "status") { f.status = v }
            else if s.key(key, is: "capacity") { f.capacity = v }
            else if s.key(key, is: "usedCapacity") { f.usedCapacity = v }
            else if s.key(key, is: "deductPolicy") { f.deductPolicy = v }
            else if s.key(key, is: "packageType") { f.packageType = v }
            else if s.key(key, is: "createTime") { f.createTime = v }
            else if s.key(key, is: "activeTime") { f.activeTime = v }
            else if s.key(key, is: "expireTime") { f.expireTime = v }
        }
        let end = s.offset
        let id: String
        do throws(FieldProblem) {
            id = try packageID(f.id, s)
        } catch {
            return .failure(SkippedPackage(id: nil, position: path(index), field: error.field, reason: error.reason))
        }
        do throws(FieldProblem) {
            return .success(try package(f, id: id, raw: start..<end, s))
        } catch {
            return .failure(SkippedPackage(id: id, position: path(index), field: error.field, reason: error.reason))
        }
    }

    /// A field of a package that tpgw cannot represent.
    struct FieldProblem: Error {
        var field: String
        var reason: String

        init(_ field: String, _ reason: String) {
            self.field = field
            self.reason = reason
        }
    }

    /// The validated fields of a scanned package.
    private func package(_ f: PackageFields, id: String, raw: Range<Int>, _ s: WireScanner) throws(FieldProblem) -> BCEPackage {
        let policyToken = try requiredToken(f.deductPolicy, "deductPolicy")
        // The first case whose wire name matches (`.unknown` matches only a literal "unknown").
        let policy = named(policyToken, s, { (p: PackagePolicy) in p.bceName }) ?? .unknown
        let statusToken = try requiredToken(f.status, "status")
        // `EXPIRED` matches `.expired` (before `.released`, which shares its wire name).
        let status = named(statusToken, s, { (p: PackageStatus) in p.bceName }) ?? .unknown
        let packageType: String
        switch f.packageType {
        case .string(let r, _) where r.isEmpty: packageType = "WebOutBytes"
        case .string(let r, let e): packageType = s.text(.init(range: r, escaped: e), is: "WebOutBytes") ? "WebOutBytes" : s.string(.init(range: r, escaped: e))
        case .missing, .null: packageType = "WebOutBytes"
        default: throw FieldProblem("packageType", "expected a string, got \(f.packageType.typeName)")
        }
        guard let createTime = try date(f.createTime, "createTime", s) else { throw FieldProblem("createTime", "missing") }
        guard let expireTime = try date(f.expireTime, "expireTime", s) else { throw FieldProblem("expireTime", "missing") }
        return BCEPackage(
            id: id, deductPolicy: policy, packageType: packageType, status: status,
            capacity: try bytes(f.capacity, "capacity", s), usedCapacity: try bytes(f.usedCapacity, "usedCapacity", s),
            createTime: createTime, activeTime: try date(f.activeTime, "activeTime", s), expireTime: expireTime,
            raw: Array(s.slice(raw)))
    }

    /// The package id: a non-empty string of at most `UpstreamBounds.maxIDLength` bytes, without `:` (it is part of a
    /// `PackageKey`) or control characters.
    private func packageID(_ v: WireScalar, _ s: WireScanner) throws(FieldProblem) -> String {
        let token = try requiredToken(v, "id")
        func check<C: Collection<UInt8>>(_ bytes: C) throws(FieldProblem) {
            guard PackageKey.isUsableID(bytes) else { throw FieldProblem("id", PackageKey.unusableIDReason) }
        }
        // Checked on the wire bytes when unescaped (the common case: no String walk). The length is the decoded
        // id's: invalid UTF-8 is repaired to U+FFFD, which can make it longer than the wire bytes.
        if !token.escaped { try check(s.slice(token.range)) }
        let id = s.string(token)
        if token.escaped { try check(id.utf8) }
        guard id.utf8.count <= UpstreamBounds.maxIDLength else { throw FieldProblem("id", UpstreamBounds.idTooLongReason) }
        return id
    }

    /// The case of `E` whose wire name equals the token's text, compared as bytes.
    private func named<E: CaseIterable>(_ t: WireScanner.StringToken, _ s: WireScanner, _ name: (E) -> String) -> E? {
        if t.escaped {
            let text = s.string(t)
            return E.allCases.first { name($0) == text }
        }
        let bytes = s.slice(t.range)
        return E.allCases.first { c in
            let n = name(c)
            return n.utf8.withContiguousStorageIfAvailable { $0.elementsEqual(bytes) } ?? n.utf8.elementsEqual(bytes)
        }
    }

    private func requiredToken(_ v: WireScalar, _ key: String) throws(FieldProblem) -> WireScanner.StringToken {
        switch v {
        case .string(let r, let e) where !r.isEmpty: return .init(range: r, escaped: e)
        case .string: throw FieldProblem(key, "empty")
        case .missing, .null: throw FieldProblem(key, "missing")
        default: throw FieldProblem(key, "expected a string, got \(v.typeName)")
        }
    }

    private func optionalString(_ v: WireScalar, _ name: String, _ s: WireScanner) throws(BCEError) -> String? {
        switch v {
        case .string(let r, let e): return r.isEmpty ? nil : s.string(.init(range: r, escaped: e))
        case .missing, .null: return nil
        default: throw failure("\(name): expected a string, got \(v.typeName)")
        }
    }

    private func optionalInt(_ v: WireScalar, _ name: String, _ s: WireScanner) throws(BCEError) -> Int64? {
        let text: String
        switch v {
        case .number(let r): text = String(decoding: s.slice(r), as: UTF8.self)
        case .string(let r, let e): text = s.string(.init(range: r, escaped: e))
        case .missing, .null: return nil
        default: throw failure("\(name): expected a number, got \(v.typeName)")
        }
        guard let n = Int64(text) else { throw failure("\(name): not an integer: \(text)") }
        return n
    }

    /// Byte counts arrive as numbers (JSON examples) or numeric strings (reference tables, Go SDK). Accepted:
    /// integers in `0...UpstreamBounds.maxBytes` (an integral `1.073741824E10` or `10737418240.0` too).
    private func bytes(_ v: WireScalar, _ key: String, _ s: WireScanner) throws(FieldProblem) -> Int64 {
        let range: Range<Int>
        switch v {
        case .number(let r), .string(let r, escaped: false): range = r
        case .string(let r, escaped: true): return try bytes(text: s.string(.init(range: r, escaped: true)), key)
        case .missing, .null: throw FieldProblem(key, "missing")
        default: throw FieldProblem(key, "expected a number or numeric string, got \(v.typeName)")
        }
        // Fast path: plain digits that fit (18 digits are below `maxBytes`).
        if (1...18).contains(range.count) {
            var n: Int64 = 0
            var digits = true
            for c in s.slice(range) {
                guard c >= 0x30 && c <= 0x39 else { digits = false; break }
                n = n &* 10 &+ Int64(c &- 0x30)
            }
            if digits { return n }
        }
        return try bytes(text: String(decoding: s.slice(range), as: UTF8.self), key)
    }

    private func bytes(text: String, _ key: String) throws(FieldProblem) -> Int64 {
        if let n = Int64(text) {
            guard n >= 0 else { throw FieldProblem(key, "negative") }
            guard n <= UpstreamBounds.maxBytes else { throw FieldProblem(key, "out of range") }
            return n
        }
        guard let d = Double(text), d.isFinite else {
            if text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) && !text.isEmpty { throw FieldProblem(key, "out of range") }
            if text.utf8.first == UInt8(ascii: "-"), text.utf8.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) && text.utf8.count > 1 {
                throw FieldProblem(key, "negative")
            }
            throw FieldProblem(key, "not a number")
        }
        guard d >= 0 else { throw FieldProblem(key, "negative") }
        guard d.rounded() == d else { throw FieldProblem(key, "not an integer") }
        guard d <= Double(UpstreamBounds.maxBytes) else { throw FieldProblem(key, "out of range") }
        return Int64(saturating: d)
    }

    /// A time (nil when absent, null or empty) within `UpstreamBounds.dates`. The common `YYYY-MM-DDThh:mm:ssZ` is read
    /// from the bytes; anything else goes through `RFC3339.parse`.
    private func date(_ v: WireScalar, _ key: String, _ s: WireScanner) throws(FieldProblem) -> Date? {
        switch v {
        case .string(let r, let e):
            if r.isEmpty { return nil }
            let d: Date
            if !e, let plain = RFC3339.parsePlainUTC(s.slice(r)) {
                d = plain
            } else {
                guard let parsed = RFC3339.parse(s.string(.init(range: r, escaped: e))) else { throw FieldProblem(key, "not a UTC time") }
                d = parsed
            }
            guard UpstreamBounds.dates.contains(d) else { throw FieldProblem(key, "out of range") }
            return d
        case .missing, .null: return nil
        default: throw FieldProblem(key, "expected a string, got \(v.typeName)")
        }
    }
}
