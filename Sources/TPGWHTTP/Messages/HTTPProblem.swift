import TPGWCore

/// An RFC 9457 `application/problem+json` error with our `code` and `requestId` extensions.
package struct HTTPProblem: HTTPResponseError, Sendable, CustomStringConvertible {
    package var status: HTTPStatus
    /// Machine-readable code, e.g. `notFound`, `badRequest`, `payloadTooLarge`.
    package var code: String
    /// User-safe text. Never put secrets here.
    package var detail: String?
    package var headers: HTTPHeaders

    package init(_ status: HTTPStatus, code: String, detail: String? = nil, headers: HTTPHeaders = [:]) {
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers
    }

    package var description: String { "HTTPProblem(\(status.code) \(code))" }

    package func response(requestID: String) -> HTTPResponse {
        var response = HTTPResponse(status: status, headers: headers, body: HTTPProblem.render(
            status: status, code: code, detail: detail, requestID: requestID))
        response.headers.replaceOrAdd("Content-Type", "application/problem+json")
        return response
    }

    /// `{"type":"about:blank","title":…,"status":…,"detail":…,"code":…,"requestId":…,"errors":[{"field":…,"message":…}]}`
    /// as bytes; `detail` and `errors` only when given.
    package static func render(
        status: HTTPStatus, code: String, detail: String?, requestID: String, errors: [(field: String, message: String)] = []
    ) -> [UInt8] {
        var members: [(String, OrderedJSON)] = [("type", .string("about:blank")), ("title", .string(status.reason)), ("status", .integer(Int64(status.code)))]
        if let detail { members.append(("detail", .string(detail))) }
        members += [("code", .string(code)), ("requestId", .string(requestID))]
        if !errors.isEmpty {
            members.append(("errors", .array(errors.map { .object([("field", .string($0.field)), ("message", .string($0.message))]) })))
        }
        return OrderedJSON.object(members).bytes
    }
}
