/// A complete response. `Content-Length`, `Date` and `X-Request-Id` are added by the server when writing.
package struct HTTPResponse: Sendable {
    package var status: HTTPStatus
    package var headers: HTTPHeaders
    package var body: [UInt8]
    /// The matched route template, set by `Router` so the server's access log can name it.
    package var routePattern: String?
    /// When true the server closes the connection without writing a response (fault injection in bce-sim).
    package var abortConnection = false

    package init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
        self.routePattern = nil
    }

    /// A `text/plain; charset=utf-8` response.
    package static func text(_ s: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(s.utf8))
    }

    /// A response with raw bytes and the given content type.
    package static func bytes(_ b: [UInt8], contentType: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: b)
    }

    /// An `application/json` response from already-encoded bytes.
    package static func json(_ b: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        bytes(b, contentType: "application/json", status: status)
    }
}
