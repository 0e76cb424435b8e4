import Foundation
import TPGWCore

/// Decodes BCE response bodies. Unknown fields are ignored. In a list page, a package tpgw cannot represent
/// is skipped and reported in `BCEListPage.skipped` (the rest of the page is kept); anything else that is
/// missing or mistyped is a `.decoding` `BCEError` naming the field (e.g. `package.capacity`) and the source.
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

    /// A `GET /v1/eiptp` page: every package decoded field by field (no JSON tree is built).
    package func listPage(_ body: [UInt8]) throws(BCEError) -> BCEListPage {
        try body.withUnsafeBufferPointer { buf in Result { () throws(BCEError) in try scanListPage(buf) } }.get()
    }

    /// Only the paging fields of a list page, so the next page can be requested before this one is decoded.
    /// Reads no further than it needs (BCE sends `isTruncated` and `nextMarker` before `packageList`), so the rest
    /// of the body is checked only by `listPage`, which must agree with it (`BCEClient.listPackages` checks).
    package func listPaging(_ body: [UInt8]) throws(BCEError) -> (isTruncated: Bool, nextMarker: String?) {
        try body.withUnsafeBufferPointer { buf in Result { () throws(BCEError) in try scanListPaging(buf) } }.get()
    }

    /// A `GET /v1/eiptp/{id}` body.
    package func package(_ body: [UInt8]) throws(BCEError) -> BCEPackage {
        try body.withUnsafeBufferPointer { buf in
            Result { () throws(BCEError) -> BCEPackage in
                var s = WireScanner(buf)
                let p = try scanPackage(&s, index: nil)
                try syntax { () throws(JSONParser.Failure) in try s.end() }
                switch p {
                case .success(let package): return package
                case .failure(let skip):
                    throw failure(skip.field == "package" ? "\(skip.position): \(skip.reason)" : "\(skip.position).\(skip.field): \(skip.reason)")
                }
            }
        }.get()
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

    private func requiredString(_ v: WireJSON, _ key: String, _ p: String) throws(BCEError) -> String {
        switch v[key] {
        case .string(let s)? where !s.isEmpty: return s
        case .string?: throw failure("\(p)\(key): empty")
        case nil, .null?: throw failure("\(p)\(key): missing")
        case let x?: throw failure("\(p)\(key): expected a string, got \(x.typeName)")
        }
    }
}
