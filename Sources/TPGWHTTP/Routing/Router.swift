import Synchronization
import TPGWCore

/// Method + path-template routing with a middleware chain, built before the server starts.
///
/// `makeHandler()` freezes the routes: it matches the path (literal segments win over parameters),
/// fills `context.parameters` and `context.routePattern`, then runs the middleware chain around the
/// route's handler. Unknown path: 404. Known path, other method: 405 with `Allow`. `HEAD` is served by
/// the `GET` route without a body. Thrown `HTTPResponseError`s render themselves; anything else is a
/// 500 problem whose details are only logged. Every response carries `X-Request-Id`.
package final class Router: Sendable {
    private struct State {
        var routes: [(method: HTTPMethod, pattern: RoutePattern, handler: HTTPHandler)] = []
        var middlewares: [any HTTPMiddleware] = []
    }

    private let state = Mutex(State())

    package init() {}

    /// Registers `handler` for `method` on `pattern`. Registering the same method and pattern twice is a programmer error.
    package func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler) {
        let parsed = RoutePattern(pattern)
        state.withLock { state in
            precondition(
                !state.routes.contains { $0.method == method && $0.pattern.segments == parsed.segments },
                "duplicate route \(method) \(pattern)")
            state.routes.append((method, parsed, handler))
        }
    }

    package func get(_ pattern: String, use handler: @escaping HTTPHandler) { add(.GET, pattern, handler) }
    package func post(_ pattern: String, use handler: @escaping HTTPHandler) { add(.POST, pattern, handler) }
    package func put(_ pattern: String, use handler: @escaping HTTPHandler) { add(.PUT, pattern, handler) }
    package func delete(_ pattern: String, use handler: @escaping HTTPHandler) { add(.DELETE, pattern, handler) }

    /// Adds a middleware; the first added is the outermost.
    package func add(middleware: any HTTPMiddleware) {
        state.withLock { $0.middlewares.append(middleware) }
    }

    /// Registered routes, in registration order.
    package var routes: [(method: HTTPMethod, pattern: String)] {
        state.withLock { $0.routes.map { ($0.method, $0.pattern.template) } }
    }

    /// The routing + middleware handler. Later registrations do not affect it.
    package func makeHandler() -> HTTPHandler {
        let snapshot = state.withLock { $0 }
        let table = RouteTable(routes: snapshot.routes, middlewares: snapshot.middlewares)
        return { request, context in await table.respond(request, context) }
    }
}
