import Foundation
import TPGWCore

/// Decodes Tencent VPC answers: `{"Response": {…, "RequestId": "…"}}`, success or `Response.Error`.
/// Unknown fields are ignored. A package that cannot be represented (an id unusable in a `PackageKey`, an amount,
/// a time or an id outside `UpstreamBounds`, a field of the wrong type…) is skipped and reported, naming the field;
/// only an answer whose envelope or paging fields are wrong fails.
///
/// Bodies are read field by field with `WireScanner` (no JSON tree), the reader BCE bodies use too: malformed JSON
/// (nesting deeper than 64 included) fails the whole body as `.malformed`, duplicate members resolve to the last,
/// invalid UTF-8 in a string is repaired to U+FFFD, and each kept package keeps its object's raw bytes for audit.
package struct TencentWireDecoder: Sendable {
    package var source: SourceID
    package var operation: String

    package init(source: SourceID, operation: String) {
        self.source = source
        self.operation = operation
    }

    func failure(_ message: String, kind: TencentError.Kind = .decoding, requestID: String? = nil) -> TencentError {
        TencentError(kind: kind, source: source, operation: operation, message: message, requestID: requestID)
    }

    /// The members of a `DescribeTrafficPackages` answer that matter.
    private struct ListMembers {
        var totalCount = WireScalar.missing
        /// `.array` once the set was decoded into `packages` and `skipped`; else what it held.
        var set = WireScalar.missing
        var packages: [TencentPackage] = []
        var skipped: [TencentSkippedPackage] = []
    }

    /// A `DescribeTrafficPackages` answer.
    package func listPage(_ body: [UInt8]) throws(TencentError) -> TencentListPage {
        let (m, requestID) = try response(body, ListMembers()) { m, key, s throws(WireScanner.Failure) in
            if s.key(key, is: "TotalCount") {
                m.totalCount = try s.scalar()
            } else if s.key(key, is: "TrafficPackageSet") {
                if s.peek(UInt8(ascii: "[")) {
                    (m.packages, m.skipped) = try packages(&s)
                    m.set = .array
                } else {
                    m.set = try s.scalar()
                    (m.packages, m.skipped) = ([], [])
                }
            } else {
                return false
            }
            return true
        }
        let totalCount: Int
        switch m.totalCount {
        case .number(let r):
            let text = String(decoding: body[r], as: UTF8.self)
            guard let n = Int(text), n >= 0 else { throw failure("TotalCount: \(text) is not a count", requestID: requestID) }
            totalCount = n
        case .missing: throw failure("TotalCount: missing", requestID: requestID)
        default: throw failure("TotalCount: expected a number, got \(m.totalCount.typeName)", requestID: requestID)
        }
        switch m.set {
        case .array: break
        case .null where totalCount == 0, .missing where totalCount == 0: break
        case .missing, .null: throw failure("TrafficPackageSet: missing while TotalCount is \(totalCount)", requestID: requestID)
        default: throw failure("TrafficPackageSet: expected an array, got \(m.set.typeName)", requestID: requestID)
        }
        return TencentListPage(totalCount: totalCount, packages: m.packages, skipped: m.skipped, requestID: requestID)
    }

    /// The `TrafficPackageSet` of a `CreateTrafficPackages` answer.
    private struct CreatedMembers {
        var isArray = false
        var ids: [String] = []
        /// The first element that is not a package id.
        var problem: String? = nil
    }

    /// The new ids of a `CreateTrafficPackages` answer.
    package func createdIDs(_ body: [UInt8]) throws(TencentError) -> (ids: [String], requestID: String?) {
        let (m, requestID) = try response(body, CreatedMembers()) { m, key, s throws(WireScanner.Failure) in
            guard s.key(key, is: "TrafficPackageSet") else { return false }
            m = CreatedMembers()
            guard s.peek(UInt8(ascii: "[")) else {
                try s.skipValue()
                return true
            }
            m.isArray = true
            try s.beginArray()
            var n = 0
            while try s.nextElement() {
                let v = try s.scalar()
                if m.problem == nil {
                    if case .string(let r, let e) = v, !r.isEmpty {
                        m.ids.append(s.string(.init(range: r, escaped: e)))
                    } else {
                        m.problem = "TrafficPackageSet[\(n)]: expected a package id, got \(v.typeName)"
                    }
                }
                n += 1
            }
            return true
        }
        guard m.isArray else { throw failure("TrafficPackageSet: expected an array of ids", requestID: requestID) }
        if let problem = m.problem { throw failure(problem, requestID: requestID) }
        return (m.ids, requestID)
    }

    /// `Response.Error` as scanned.
    private struct ServiceError {
        var code: String? = nil
        var message = ""
    }

    /// What the body's last `Response` object held.
    private struct Envelope<Members> {
        var members: Members
        var requestID: String? = nil
        var error: ServiceError? = nil
    }

    /// Reads the whole body: each member of the `Response` object other than `RequestId` and `Error` is offered to
    /// `member`, which consumes its value and returns true, or returns false to have it skipped (a later duplicate
    /// `Response` starts again from `fresh`). Throws `.malformed` when the body is not JSON or has no `Response`
    /// object, `.service` when it carries a non-null `Error`; both only after the whole body was read.
    private func response<Members>(
        _ body: [UInt8], _ fresh: Members,
        _ member: (inout Members, WireScanner.StringToken, inout WireScanner) throws(WireScanner.Failure) -> Bool
    ) throws(TencentError) -> (Members, requestID: String?) {
        let scanned = body.withUnsafeBufferPointer { buf in
            Result { () throws(WireScanner.Failure) -> Envelope<Members>? in
                var s = WireScanner(buf)
                var envelope: Envelope<Members>? = nil
                guard try s.beginBodyObject() else { return nil }
                while let key = try s.nextKey() {
                    guard s.key(key, is: "Response") else {
                        try s.skipValue()
                        continue
                    }
                    guard s.peek(UInt8(ascii: "{")) else {
                        try s.skipValue()
                        envelope = nil
                        continue
                    }
                    var e = Envelope(members: fresh)
                    try s.beginObject()
                    while let k = try s.nextKey() {
                        if s.key(k, is: "RequestId") {
                            e.requestID = try s.scalar().stringToken.map { s.string($0) }
                        } else if s.key(k, is: "Error") {
                            e.error = try serviceError(&s)
                        } else if try !member(&e.members, k, &s) {
                            try s.skipValue()
                        }
                    }
                    envelope = e
                }
                try s.end()
                return envelope
            }
        }
        let envelope: Envelope<Members>
        switch scanned {
        case .failure(let f): throw failure("response is not JSON: \(f)", kind: .malformed)
        case .success(nil): throw failure("response has no Response object", kind: .malformed)
        case .success(let e?): envelope = e
        }
        if let error = envelope.error {
            throw TencentError(
                kind: .service, source: source, operation: operation, code: error.code ?? "UnknownError", message: error.message,
                requestID: envelope.requestID)
        }
        return (envelope.members, envelope.requestID)
    }

    /// `Error`: nil when null; any other value is an error, with `Code` and `Message` when it is an object holding them.
    private func serviceError(_ s: inout WireScanner) throws(WireScanner.Failure) -> ServiceError? {
        guard s.peek(UInt8(ascii: "{")) else {
            if case .null = try s.scalar() { return nil }
            return ServiceError()
        }
        let (code, message) = try strings(&s, "Code", "Message")
        return ServiceError(code: code, message: message ?? "")
    }

    /// The string values of the members `first` and `second` of the object at the offset (nil when absent or not a
    /// string; the last of duplicates wins).
    private func strings(_ s: inout WireScanner, _ first: StaticString, _ second: StaticString) throws(WireScanner.Failure) -> (String?, String?) {
        var a = WireScalar.missing
        var b = WireScalar.missing
        try s.beginObject()
        while let key = try s.nextKey() {
            if s.key(key, is: first) { a = try s.scalar() }
            else if s.key(key, is: second) { b = try s.scalar() }
            else { try s.skipValue() }
        }
        return (a.stringToken.map { s.string($0) }, b.stringToken.map { s.string($0) })
    }

    /// The packages of a `TrafficPackageSet` array; one that cannot be represented is skipped and reported.
    private func packages(_ s: inout WireScanner) throws(WireScanner.Failure) -> ([TencentPackage], [TencentSkippedPackage]) {
        try s.keptAndSkipped(reserving: min(100, s.bytes.count / 256)) { s, index throws(WireScanner.Failure) in try package(&s, index: index) }
    }

    /// The members of one `TrafficPackage` as scanned (the last of duplicates wins).
    private struct PackageFields {
        var id = WireScalar.missing
        var name = WireScalar.missing
        var status = WireScalar.missing
        var deductType = WireScalar.missing
        var total = WireScalar.missing
        var used = WireScalar.missing
        var remaining = WireScalar.missing
        var created = WireScalar.missing
        var deadline = WireScalar.missing
        var tags: [TencentTag] = []
    }

    /// One `TrafficPackage` at the scanner's offset, or why it was skipped. Malformed JSON throws.
    private func package(_ s: inout WireScanner, index: Int) throws(WireScanner.Failure) -> Result<TencentPackage, TencentSkippedPackage> {
        let type = s.peekTypeName()
        guard type == "object" else {
            try s.skipValue()
            return .failure(TencentSkippedPackage(index: index, id: nil, field: "TrafficPackageSet[\(index)]", reason: "expected an object, got \(type)"))
        }
        let start = s.offset
        var f = PackageFields()
        try s.beginObject()
        while let key = try s.nextKey() {
            if s.key(key, is: "TagSet") {
                f.tags = try tags(&s)
                continue
            }
            let v = try s.scalar()
            if s.key(key, is: "TrafficPackageId") { f.id = v }
            else if s.key(key, is: "TrafficPackageName") { f.name = v }
            else if s.key(key, is: "TotalAmount") { f.total = v }
            else if s.key(key, is: "RemainingAmount") { f.remaining = v }
            else if s.key(key, is: "Status") { f.status = v }
            else if s.key(key, is: "CreatedTime") { f.created = v }
            else if s.key(key, is: "Deadline") { f.deadline = v }
            else if s.key(key, is: "DeductType") { f.deductType = v }
            else if s.key(key, is: "UsedAmount") { f.used = v }
        }
        return package(f, index: index, raw: start..<s.offset, s)
    }

    /// The validated fields of a scanned package, checked in a fixed order (the first problem is the one reported).
    private func package(_ f: PackageFields, index: Int, raw: Range<Int>, _ s: WireScanner) -> Result<TencentPackage, TencentSkippedPackage> {
        guard case .string(let idRange, let idEscaped) = f.id, !idRange.isEmpty else {
            return .failure(TencentSkippedPackage(index: index, id: nil, field: "TrafficPackageId", reason: missingOr("expected a non-empty string", f.id)))
        }
        let id = s.string(.init(range: idRange, escaped: idEscaped))
        // The id is part of a `PackageKey` (`tencent:account:region:id`, split on ':') and a PostgreSQL text value
        // (no NUL): an id holding ':' or a control character is skipped, as BCE's are (found by
        // scripts/fuzz-tencent-list).
        guard PackageKey.isUsableID(id.utf8) else {
            return .failure(TencentSkippedPackage(index: index, id: nil, field: "TrafficPackageId", reason: PackageKey.unusableIDReason))
        }
        // Within `UpstreamBounds`, as BCE's: the length is the decoded id's (a repaired byte can make it longer).
        guard id.utf8.count <= UpstreamBounds.maxIDLength else {
            return .failure(TencentSkippedPackage(index: index, id: nil, field: "TrafficPackageId", reason: UpstreamBounds.idTooLongReason))
        }
        func skip(_ field: String, _ reason: String) -> Result<TencentPackage, TencentSkippedPackage> {
            .failure(TencentSkippedPackage(index: index, id: id, field: field, reason: reason))
        }
        let name: String
        switch f.name {
        case .missing, .null: name = ""
        case .string(let r, let e): name = s.string(.init(range: r, escaped: e))
        default: return skip("TrafficPackageName", "expected a string")
        }
        guard let statusToken = f.status.stringToken else { return skip("Status", missingOr("expected a string", f.status)) }
        // Packages from before `DeductType` existed were all full-time.
        let deduct: TencentDeductType
        switch f.deductType {
        case .missing, .null: deduct = .fullTime
        case .string(let r, let e): deduct = TencentDeductType(wireName: s.string(.init(range: r, escaped: e)))
        default: return skip("DeductType", "expected a string, got \(f.deductType.typeName)")
        }
        let total: Int64
        switch amount(f.total, s) {
        case .success(let b?): total = b
        case .success(nil): return skip("TotalAmount", "missing")
        case .failure(let reason): return skip("TotalAmount", reason.text)
        }
        let used: Int64
        switch amount(f.used, s) {
        case .success(let b?): used = b
        case .success(nil): return skip("UsedAmount", "missing")
        case .failure(let reason): return skip("UsedAmount", reason.text)
        }
        let remaining: Int64?
        switch amount(f.remaining, s) {
        case .success(let b): remaining = b
        case .failure(let reason): return skip("RemainingAmount", reason.text)
        }
        let created: Date
        switch date(f.created, s) {
        case .success(let d): created = d
        case .failure(let reason): return skip("CreatedTime", reason.text)
        }
        let deadline: Date
        switch date(f.deadline, s) {
        case .success(let d): deadline = d
        case .failure(let reason): return skip("Deadline", reason.text)
        }
        return .success(TencentPackage(
            id: id, name: name, status: TencentPackageStatus(wireName: s.string(statusToken)), deductType: deduct, totalBytes: total,
            usedBytes: used, remainingBytes: remaining, createdAt: created, deadline: deadline, tags: f.tags, raw: Array(s.slice(raw))))
    }

    /// "missing" when the member was absent, else `reason`.
    private func missingOr(_ reason: String, _ v: WireScalar) -> String {
        if case .missing = v { "missing" } else { reason }
    }

    /// Why a field of a package cannot be represented.
    private struct Problem: Error {
        var text: String
    }

    /// A GB amount in bytes (at most `UpstreamBounds.maxBytes`); nil when absent or null.
    private func amount(_ v: WireScalar, _ s: WireScanner) -> Result<Int64?, Problem> {
        switch v {
        case .missing, .null: return .success(nil)
        case .number(let r):
            switch TencentAmount.bytes(gigabytesText: String(decoding: s.slice(r), as: UTF8.self)) {
            case .success(let b): return .success(b)
            case .failure(let p): return .failure(Problem(text: p.description))
            }
        default: return .failure(Problem(text: "expected a number of GB, got \(v.typeName)"))
        }
    }

    /// A required RFC 3339 time within `UpstreamBounds.dates`; the common `YYYY-MM-DDThh:mm:ssZ` is read from the bytes.
    private func date(_ v: WireScalar, _ s: WireScanner) -> Result<Date, Problem> {
        guard case .string(let r, let e) = v else { return .failure(Problem(text: missingOr("expected a string", v))) }
        if !e, let d = RFC3339.parsePlainUTC(s.slice(r)), UpstreamBounds.dates.contains(d) { return .success(d) }
        let text = s.string(.init(range: r, escaped: e))
        guard let d = RFC3339.parse(text) else { return .failure(Problem(text: "\(JSONString.quote(text)) is not a UTC timestamp")) }
        guard UpstreamBounds.dates.contains(d) else { return .failure(Problem(text: "\(JSONString.quote(text)) is outside \(UpstreamBounds.datesText)")) }
        return .success(d)
    }

    /// `TagSet`: the elements that are objects with a string `Key` (a missing or non-string `Value` is ""); anything
    /// else is ignored.
    private func tags(_ s: inout WireScanner) throws(WireScanner.Failure) -> [TencentTag] {
        guard s.peek(UInt8(ascii: "[")) else {
            try s.skipValue()
            return []
        }
        var tags: [TencentTag] = []
        try s.beginArray()
        while try s.nextElement() {
            guard s.peek(UInt8(ascii: "{")) else {
                try s.skipValue()
                continue
            }
            let (key, value) = try strings(&s, "Key", "Value")
            if let key { tags.append(TencentTag(key: key, value: value ?? "")) }
        }
        return tags
    }
}
