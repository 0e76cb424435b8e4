/// Code around handlers: authentication, metrics, logging. Added to a `Router`, outermost first.
package protocol HTTPMiddleware: Sendable {
    func handle(_ request: HTTPRequest, _ context: RequestContext, next: HTTPHandler) async throws -> HTTPResponse
}
