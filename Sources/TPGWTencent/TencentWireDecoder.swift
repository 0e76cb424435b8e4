import Foundation
import TPGWCore

/// Decodes Tencent VPC answers: `{"Response": {…, "RequestId": "…"}}`, success or `Response.Error`.
/// Unknown fields are ignored. A package that cannot be represented is skipped and reported; only an answer
/// whose envelope or paging fields are wrong fails.
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

    /// The `Response` object; throws `.malformed` when the body is not JSON or has none, `.service` when it
    /// carries `Error`.
    package func response(_ body: [UInt8]) throws(TencentError) -> (members: WireJSON, requestID: String?) {
        let doc: WireJSON
        do {
            doc = try JSONParser.parse(body)
        } catch {
            throw failure("response is not JSON: \(error)", kind: .malformed)
        }
        guard let response = doc["Response"], case .object = response else {
            throw failure("response has no Response object", kind: .malformed)
        }
        let requestID: String? = if case .string(let s)? = response["RequestId"] { s } else { nil }
        if let error = response["Error"], error != .null {
            let code: String? = if case .string(let s)? = error["Code"] { s } else { nil }
            let message: String = if case .string(let s)? = error["Message"] { s } else { "" }
            throw TencentError(
                kind: .service, source: source, operation: operation, code: code ?? "UnknownError", message: message, requestID: requestID)
        }
        return (response, requestID)
    }

    /// A `DescribeTrafficPackages` answer.
    package func listPage(_ body: [UInt8]) throws(TencentError) -> TencentListPage {
        let (r, requestID) = try response(body)
        let totalCount: Int
        switch r["TotalCount"] {
        case .number(let text)?:
            guard let n = Int(text), n >= 0 else { throw failure("TotalCount: \(text) is not a count", requestID: requestID) }
            totalCount = n
        case nil: throw failure("TotalCount: missing", requestID: requestID)
        case let v?: throw failure("TotalCount: expected a number, got \(v.typeName)", requestID: requestID)
        }
        var packages: [TencentPackage] = []
        var skipped: [TencentSkippedPackage] = []
        switch r["TrafficPackageSet"] {
        case .array(let items, let ranges)?:
            packages.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                switch package(item, index: index, raw: Array(body[ranges[index]])) {
                case .success(let p): packages.append(p)
                case .failure(let s): skipped.append(s)
                }
            }
        case .null? where totalCount == 0, nil where totalCount == 0:
            break
        case nil, .null?: throw failure("TrafficPackageSet: missing while TotalCount is \(totalCount)", requestID: requestID)
        case let v?: throw failure("TrafficPackageSet: expected an array, got \(v.typeName)", requestID: requestID)
        }
        return TencentListPage(totalCount: totalCount, packages: packages, skipped: skipped, requestID: requestID)
    }

    /// The new ids of a `CreateTrafficPackages` answer.
    package func createdIDs(_ body: [UInt8]) throws(TencentError) -> (ids: [String], requestID: String?) {
        let (r, requestID) = try response(body)
        guard case .array(let items, _)? = r["TrafficPackageSet"] else {
            throw failure("TrafficPackageSet: expected an array of ids", requestID: requestID)
        }
        var ids: [String] = []
        for (n, item) in items.enumerated() {
            guard case .string(let id) = item, !id.isEmpty else {
                throw failure("TrafficPackageSet[\(n)]: expected a package id, got \(item.typeName)", requestID: requestID)
            }
            ids.append(id)
        }
        return (ids, requestID)
    }

    /// One `TrafficPackage`, or why it was skipped.
    package func package(_ v: WireJSON, index: Int, raw: [UInt8] = []) -> Result<TencentPackage, TencentSkippedPackage> {
        guard case .object = v else {
            return .failure(TencentSkippedPackage(index: index, id: nil, field: "TrafficPackageSet[\(index)]", reason: "expected an object, got \(v.typeName)"))
        }
        var id: String? = nil
        func skip(_ field: String, _ reason: String) -> Result<TencentPackage, TencentSkippedPackage> {
            .failure(TencentSkippedPackage(index: index, id: id, field: field, reason: reason))
        }
        guard case .string(let pid)? = v["TrafficPackageId"], !pid.isEmpty else {
            return skip("TrafficPackageId", v["TrafficPackageId"] == nil ? "missing" : "expected a non-empty string")
        }
        id = pid
        func string(_ key: String) -> String?? {
            switch v[key] {
            case nil, .null?: return .some(nil)
            case .string(let s)?: return .some(s)
            default: return nil
            }
        }
        enum AmountResult { case ok(Int64?), bad(String) }
        func amount(_ key: String, required: Bool) -> AmountResult {
            switch v[key] {
            case nil, .null?: return required ? .bad("missing") : .ok(nil)
            case .number(let text)?:
                switch TencentAmount.bytes(gigabytesText: text) {
                case .success(let b): return .ok(b)
                case .failure(let p): return .bad(p.description)
                }
            case let x?: return .bad("expected a number of GB, got \(x.typeName)")
            }
        }
        func date(_ key: String) -> Result<Date, TencentSkippedPackage> {
            guard case .string(let s)? = v[key] else {
                return .failure(TencentSkippedPackage(index: index, id: id, field: key, reason: v[key] == nil ? "missing" : "expected a string"))
            }
            guard let d = RFC3339.parse(s) else {
                return .failure(TencentSkippedPackage(index: index, id: id, field: key, reason: "\(JSONString.quote(s)) is not a UTC timestamp"))
            }
            return .success(d)
        }

        guard let name = string("TrafficPackageName") else { return skip("TrafficPackageName", "expected a string") }
        guard case .string(let statusName)? = v["Status"] else { return skip("Status", v["Status"] == nil ? "missing" : "expected a string") }
        // Packages from before `DeductType` existed were all full-time.
        let deduct: TencentDeductType
        switch v["DeductType"] {
        case nil, .null?: deduct = .fullTime
        case .string(let s)?: deduct = TencentDeductType(wireName: s)
        case let x?: return skip("DeductType", "expected a string, got \(x.typeName)")
        }
        let total: Int64
        switch amount("TotalAmount", required: true) {
        case .ok(let b): total = b!
        case .bad(let r): return skip("TotalAmount", r)
        }
        let used: Int64
        switch amount("UsedAmount", required: true) {
        case .ok(let b): used = b!
        case .bad(let r): return skip("UsedAmount", r)
        }
        let remaining: Int64?
        switch amount("RemainingAmount", required: false) {
        case .ok(let b): remaining = b
        case .bad(let r): return skip("RemainingAmount", r)
        }
        let created: Date
        switch date("CreatedTime") {
        case .success(let d): created = d
        case .failure(let s): return .failure(s)
        }
        let deadline: Date
        switch date("Deadline") {
        case .success(let d): deadline = d
        case .failure(let s): return .failure(s)
        }
        var tags: [TencentTag] = []
        if case .array(let items, _)? = v["TagSet"] {
            for item in items {
                if case .string(let k)? = item["Key"] {
                    let value: String = if case .string(let s)? = item["Value"] { s } else { "" }
                    tags.append(TencentTag(key: k, value: value))
                }
            }
        }
        return .success(TencentPackage(
            id: pid, name: name ?? "", status: TencentPackageStatus(wireName: statusName), deductType: deduct, totalBytes: total,
            usedBytes: used, remainingBytes: remaining, createdAt: created, deadline: deadline, tags: tags, raw: raw))
    }
}
