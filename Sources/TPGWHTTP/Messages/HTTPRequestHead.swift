/// What is known of a request once its head is parsed and before any body byte is read: enough to decide
/// whether the body may be sent at all (see `HeadGate`).
package struct HTTPRequestHead: Sendable {
    package var method: HTTPMethod
    /// The raw request-target as sent.
    package var target: String
    package var version: HTTPVersion
    package var headers: HTTPHeaders
    /// The announced `Content-Length`; nil for a chunked body (length unknown until it ends).
    package var contentLength: Int?
    /// The client sent `Expect: 100-continue` and waits for an interim response before sending the body.
    package var expectsContinue: Bool
    /// The peer as `ip:port` (filled in by the server; empty when parsed outside a connection).
    package var remoteAddress: String = ""

    package init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = [:], contentLength: Int?,
        expectsContinue: Bool = false, remoteAddress: String = ""
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.contentLength = contentLength
        self.expectsContinue = expectsContinue
        self.remoteAddress = remoteAddress
    }

    /// The raw path (no query), not percent-decoded.
    package var path: String { HTTPRequest.split(target: target).path }
}
