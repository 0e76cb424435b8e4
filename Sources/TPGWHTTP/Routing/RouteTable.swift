import TPGWCore

/// The frozen routing trie behind `Router.makeHandler()`.
final class RouteTable: Sendable {
    final class Node: @unchecked Sendable {  // immutable after init
        var literals: [String: Node] = [:]
        var parameter: (name: String, node: Node)?
        var handlers: [HTTPMethod: HTTPHandler] = [:]
        var template: String?
        var allow = ""
        var methodNotAllowed: HTTPHandler?
    }

    private let root = Node()
    private let notFound: HTTPHandler

    init(routes: [(method: HTTPMethod, pattern: RoutePattern, handler: HTTPHandler)], middlewares: [any HTTPMiddleware]) {
        func chain(_ handler: @escaping HTTPHandler) -> HTTPHandler {
            var next = handler
            for middleware in middlewares.reversed() {
                let inner = next
                next = { request, context in try await middleware.handle(request, context, next: inner) }
            }
            return next
        }
        var nodes: [ObjectIdentifier: Node] = [:]
        for route in routes {
            var node = root
            for segment in route.pattern.segments {
                switch segment {
                case .literal(let s):
                    let key = PercentCoding.decode(s)
                    if let next = node.literals[key] { node = next } else {
                        let next = Node()
                        node.literals[key] = next
                        node = next
                    }
                case .parameter(let name):
                    if let existing = node.parameter {
                        precondition(existing.name == name, "conflicting parameter names at \(route.pattern.template)")
                        node = existing.node
                    } else {
                        let next = Node()
                        node.parameter = (name, next)
                        node = next
                    }
                }
            }
            node.template = node.template ?? route.pattern.template
            node.handlers[route.method] = chain(route.handler)
            nodes[ObjectIdentifier(node)] = node
        }
        for node in nodes.values {
            var methods = Set(node.handlers.keys)
            if methods.contains(.GET) { methods.insert(.HEAD) }
            let allow = HTTPMethod.allCases.filter { methods.contains($0) }.map(\.rawValue).joined(separator: ", ")
            node.allow = allow
            node.methodNotAllowed = chain { request, _ in
                throw HTTPProblem(.methodNotAllowed, code: "methodNotAllowed",
                                  detail: "method \(request.method.rawValue) is not allowed here", headers: ["Allow": allow])
            }
        }
        notFound = chain { _, _ in throw HTTPProblem(.notFound, code: "notFound", detail: "no such resource") }
    }

    func respond(_ request: HTTPRequest, _ context: RequestContext) async -> HTTPResponse {
        var context = context
        var handler = notFound
        var stripBody = false
        if let node = match(request.path, &context.parameters) {
            context.routePattern = node.template
            if let h = node.handlers[request.method] {
                handler = h
            } else if request.method == .HEAD, let h = node.handlers[.GET] {
                handler = h
                stripBody = true
            } else {
                handler = node.methodNotAllowed!
            }
        }
        var response: HTTPResponse
        do {
            response = try await handler(request, context)
        } catch let error as any HTTPResponseError {
            response = error.response(requestID: context.requestID)
        } catch {
            context.logger.error("Request handler failed", metadata: [
                "error": String(describing: error), "http.method": request.method.rawValue,
                "http.route": context.routePattern ?? "NotFound",
            ])
            response = HTTPProblem(.internalServerError, code: "internal", detail: "internal error")
                .response(requestID: context.requestID)
        }
        if stripBody {
            response.headers.replaceOrAdd("Content-Length", String(response.body.count))
            response.body = []
        }
        response.headers.replaceOrAdd("X-Request-Id", context.requestID)
        response.routePattern = context.routePattern
        return response
    }

    /// Walks the trie; literal segments are tried before the parameter at each level.
    private func match(_ path: String, _ parameters: inout [String: String]) -> Node? {
        let segments = RoutePattern.split(path)
        var found: [(String, String)] = []
        guard let node = walk(root, segments[...], &found), node.template != nil else { return nil }
        for (name, raw) in found { parameters[name] = PercentCoding.decode(raw) }
        return node
    }

    private func walk(_ node: Node, _ rest: ArraySlice<Substring>, _ found: inout [(String, String)]) -> Node? {
        guard let first = rest.first else { return node.template != nil ? node : nil }
        let tail = rest.dropFirst()
        let key = first.utf8.contains(UInt8(ascii: "%")) ? PercentCoding.decode(first, plusAsSpace: false) : String(first)
        if let next = node.literals[key], let hit = walk(next, tail, &found) { return hit }
        if let param = node.parameter, !first.isEmpty {
            found.append((param.name, String(first)))
            if let hit = walk(param.node, tail, &found) { return hit }
            found.removeLast()
        }
        return nil
    }
}
