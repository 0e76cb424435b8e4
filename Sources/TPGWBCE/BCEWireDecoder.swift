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
                let p = try syntax { () throws(WireScanner.Failure) in
                    let p = try scanPackage(&s, index: nil)
                    try s.end()
                    return p
                }
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
        switch try members(body, ["id"])["id"] {
        case .string(let s)? where !s.isEmpty: return s
        case .string?: throw failure("id: empty")
        case nil, .other(typeName: "null")?: throw failure("id: missing")
        case .number?: throw failure("id: expected a string, got number")
        case .other(let typeName)?: throw failure("id: expected a string, got \(typeName)")
        }
    }

    /// `{"price": "7.20000"}` of a price inquiry, as the decimal string (a number is accepted too).
    package func price(_ body: [UInt8]) throws(BCEError) -> String {
        switch try members(body, ["price"])["price"] {
        case .string(let s)? where Decimal(string: s) != nil: return s
        case .number(let s)?: return s
        case nil: throw failure("price: missing")
        case .string?: throw failure("price: expected a decimal string, got string")
        case .other(let typeName)?: throw failure("price: expected a decimal string, got \(typeName)")
        }
    }

    /// A BCE error body `{"code","message","requestId"}`; fields may be absent.
    package func errorBody(_ body: [UInt8]) -> (code: String?, message: String?, requestID: String?) {
        guard let m = try? members(body, ["code", "message", "requestId"]) else { return (nil, nil, nil) }
        func s(_ k: String) -> String? { if case .string(let v)? = m[k] { v } else { nil } }
        return (s("code"), s("message"), s("requestId"))
    }
}
