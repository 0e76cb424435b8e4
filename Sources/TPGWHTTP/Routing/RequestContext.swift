import TPGWCore

/// Per-request values handed to handlers and middleware alongside the request.
package struct RequestContext: Sendable {
    /// From a sane incoming `X-Request-Id` (at most 128 of `[A-Za-z0-9._-]`) or generated.
    package var requestID: String
    /// Percent-decoded path parameters of the matched route.
    package var parameters: [String: String]
    /// The matched template, e.g. `/v1/packages/{key}`; nil when no route matched.
    package var routePattern: String?
    /// Carries `request.id`.
    package var logger: Logger
    /// The peer as `ip:port`.
    package var remoteAddress: String
    /// Free slot for middleware, e.g. the authenticated key name.
    package var attributes: [String: String]

    package init(
        requestID: String, parameters: [String: String] = [:], routePattern: String? = nil, logger: Logger,
        remoteAddress: String = "", attributes: [String: String] = [:]
    ) {
        self.requestID = requestID
        self.parameters = parameters
        self.routePattern = routePattern
        self.logger = logger
        self.remoteAddress = remoteAddress
        self.attributes = attributes
    }

    /// A context for `request` the way the server builds one: request id from the header or generated.
    package static func make(for request: HTTPRequest, logger: Logger, remoteAddress: String = "") -> RequestContext {
        let id = RequestID.accept(request.headers["X-Request-Id"]) ?? RequestID.generate()
        return RequestContext(requestID: id, logger: logger.with(["request.id": id]), remoteAddress: remoteAddress)
    }

    /// The peer's IP address without the port (and without brackets for IPv6), e.g. for per-client limits.
    package var remoteHost: String { RequestContext.host(ofAddress: remoteAddress) }

    /// `1.2.3.4:5` -> `1.2.3.4`, `[::1]:5` -> `::1`; anything else unchanged.
    package static func host(ofAddress address: String) -> String {
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<close])
        }
        if let colon = address.lastIndex(of: ":"), address.firstIndex(of: ":") == colon {
            return String(address[..<colon])
        }
        return address
    }

    /// The path parameter `name`, or a 400 problem when it is missing.
    package func parameter(_ name: String) throws -> String {
        guard let value = parameters[name] else {
            throw HTTPProblem(.badRequest, code: "badRequest", detail: "missing path parameter \(name)")
        }
        return value
    }
}

/// An async request handler.
package typealias HTTPHandler = @Sendable (HTTPRequest, RequestContext) async throws -> HTTPResponse
