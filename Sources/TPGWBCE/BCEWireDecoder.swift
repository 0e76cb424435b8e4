import Foundation
import TPGWCore

/// Decodes BCE response bodies. Unknown fields are ignored; a missing required field or a wrong type
/// is a `.decoding` `BCEError` naming the field (e.g. `packageList[3].capacity`) and the source.
package struct BCEWireDecoder: Sendable {
    package var source: SourceID
    package var operation: String

    package init(source: SourceID, operation: String) {
        self.source = source
        self.operation = operation
    }

    func failure(_ message: String) -> BCEError {
        BCEError(kind: .decoding, source: source, operation: operation, message: message)
    }

    func document(_ body: [UInt8]) throws(BCEError) -> WireJSON {
        do {
            return try JSONParser.parse(body)
        } catch {
            throw failure("response is not JSON: \(error)")
        }
    }

    /// A `GET /v1/eiptp` page.
    package func listPage(_ body: [UInt8]) throws(BCEError) -> BCEListPage {
        let doc = try document(body)
        guard case .object = doc else { throw failure("response: expected an object, got \(doc.typeName)") }
        guard let list = doc["packageList"] else { throw failure("packageList: missing") }
        guard case .array(let items, let ranges) = list else { throw failure("packageList: expected an array, got \(list.typeName)") }
        var packages: [BCEPackage] = []
        packages.reserveCapacity(items.count)
        for (n, item) in items.enumerated() {
            packages.append(try package(item, raw: Array(body[ranges[n]]), path: "packageList[\(n)]"))
        }
        let isTruncated: Bool
        switch doc["isTruncated"] {
        case .bool(let b)?: isTruncated = b
        case nil, .null?: isTruncated = false
        case let v?: throw failure("isTruncated: expected a boolean, got \(v.typeName)")
        }
        let nextMarker = try optionalString(doc["nextMarker"], "nextMarker")
        if isTruncated && (nextMarker ?? "").isEmpty { throw failure("nextMarker: missing while isTruncated is true") }
        return BCEListPage(
            marker: try optionalString(doc["marker"], "marker"),
            maxKeys: try optionalInt(doc["maxKeys"], "maxKeys").map { Int($0) },
            isTruncated: isTruncated, nextMarker: isTruncated ? nextMarker : nil, packages: packages)
    }

    /// A `GET /v1/eiptp/{id}` body.
    package func package(_ body: [UInt8]) throws(BCEError) -> BCEPackage {
        let doc = try document(body)
        return try package(doc, raw: body, path: "package")
    }

    /// `{"id": "tp-..."}` of a create.
    package func createdID(_ body: [UInt8]) throws(BCEError) -> String {
        let doc = try document(body)
        return try requiredString(doc, "id", "")
    }

    /// `{"price": "7.20000"}` of a price inquiry, as the decimal string (a number is accepted too).
    package func price(_ body: [UInt8]) throws(BCEError) -> String {
        let doc = try document(body)
        switch doc["price"] {
        case .string(let s)? where Decimal(string: s) != nil: return s
        case .number(let s)?: return s
        case nil: throw failure("price: missing")
        case let v?: throw failure("price: expected a decimal string, got \(v.typeName)")
        }
    }

    /// A BCE error body `{"code","message","requestId"}`; fields may be absent.
    package func errorBody(_ body: [UInt8]) -> (code: String?, message: String?, requestID: String?) {
        guard let doc = try? JSONParser.parse(body) else { return (nil, nil, nil) }
        func s(_ k: String) -> String? { if case .string(let v)? = doc[k] { v } else { nil } }
        return (s("code"), s("message"), s("requestId"))
    }

    func package(_ v: WireJSON, raw: [UInt8], path: String) throws(BCEError) -> BCEPackage {
        guard case .object = v else { throw failure("\(path): expected an object, got \(v.typeName)") }
        let p = path + "."
        let id = try requiredString(v, "id", p)
        let policyName = try requiredString(v, "deductPolicy", p)
        guard let policy = PackagePolicy(bceName: policyName) else { throw failure("\(p)deductPolicy: unknown value \(JSONString.quote(policyName))") }
        let statusName = try requiredString(v, "status", p)
        guard let status = PackageStatus(bceName: statusName) else { throw failure("\(p)status: unknown value \(JSONString.quote(statusName))") }
        let packageType = try optionalString(v["packageType"], p + "packageType") ?? "WebOutBytes"
        return BCEPackage(
            id: id, deductPolicy: policy, packageType: packageType, status: status,
            capacity: try bytes(v, "capacity", p), usedCapacity: try bytes(v, "usedCapacity", p),
            createTime: try requiredDate(v, "createTime", p), activeTime: try optionalDate(v["activeTime"], p + "activeTime"),
            expireTime: try requiredDate(v, "expireTime", p), raw: raw)
    }

    private func requiredString(_ v: WireJSON, _ key: String, _ p: String) throws(BCEError) -> String {
        switch v[key] {
        case .string(let s)? where !s.isEmpty: return s
        case .string?: throw failure("\(p)\(key): empty")
        case nil, .null?: throw failure("\(p)\(key): missing")
        case let x?: throw failure("\(p)\(key): expected a string, got \(x.typeName)")
        }
    }

    private func optionalString(_ v: WireJSON?, _ name: String) throws(BCEError) -> String? {
        switch v {
        case .string(let s)?: return s.isEmpty ? nil : s
        case nil, .null?: return nil
        case let x?: throw failure("\(name): expected a string, got \(x.typeName)")
        }
    }

    private func optionalInt(_ v: WireJSON?, _ name: String) throws(BCEError) -> Int64? {
        switch v {
        case .number(let s)?, .string(let s)?:
            guard let n = Int64(s) else { throw failure("\(name): not an integer: \(s)") }
            return n
        case nil, .null?: return nil
        case let x?: throw failure("\(name): expected a number, got \(x.typeName)")
        }
    }

    /// Byte counts arrive as numbers (JSON examples) or numeric strings (reference tables, Go SDK).
    private func bytes(_ v: WireJSON, _ key: String, _ p: String) throws(BCEError) -> Int64 {
        let text: String
        switch v[key] {
        case .number(let s)?, .string(let s)?: text = s
        case nil, .null?: throw failure("\(p)\(key): missing")
        case let x?: throw failure("\(p)\(key): expected a number or numeric string, got \(x.typeName)")
        }
        if let n = Int64(text), n >= 0 { return n }
        // Tolerate `1.073741824E10` or `10737418240.0` if integral.
        if let d = Double(text), d >= 0, d < 9.2e18, d.rounded() == d { return Int64(d) }
        throw failure("\(p)\(key): not a non-negative integer: \(JSONString.quote(text))")
    }

    private func requiredDate(_ v: WireJSON, _ key: String, _ p: String) throws(BCEError) -> Date {
        guard let d = try optionalDate(v[key], p + key) else { throw failure("\(p)\(key): missing") }
        return d
    }

    private func optionalDate(_ v: WireJSON?, _ name: String) throws(BCEError) -> Date? {
        switch v {
        case .string(let s)?:
            if s.isEmpty { return nil }
            guard let d = RFC3339.parse(s) else { throw failure("\(name): not a UTC time: \(JSONString.quote(s))") }
            return d
        case nil, .null?: return nil
        case let x?: throw failure("\(name): expected a string, got \(x.typeName)")
        }
    }
}
