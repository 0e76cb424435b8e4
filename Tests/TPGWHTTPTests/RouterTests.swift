import Testing
import TPGWCore
@testable import TPGWHTTP

@Suite struct RouterTests {
    private func call(_ handler: HTTPHandler, _ method: HTTPMethod, _ target: String, headers: HTTPHeaders = [:]) async throws -> HTTPResponse {
        let request = HTTPRequest(method: method, target: target, headers: headers)
        return try await handler(request, RequestContext.make(for: request, logger: .disabled))
    }

    @Test func pathParameters_arePercentDecoded_andPatternIsRecorded() async throws {
        let router = Router()
        router.get("/v1/packages/{key}/usage/{day}") { _, ctx in
            .text("\(ctx.parameters["key"]!)|\(ctx.parameters["day"]!)|\(ctx.routePattern!)")
        }
        let r = try await call(router.makeHandler(), .GET, "/v1/packages/bj%2Ftp%20one/usage/2026-01-01?x=1")
        #expect(String(decoding: r.body, as: UTF8.self) == "bj/tp one|2026-01-01|/v1/packages/{key}/usage/{day}")
        #expect(r.routePattern == "/v1/packages/{key}/usage/{day}")
    }

    @Test func literalSegments_winOverParameters() async throws {
        let router = Router()
        router.get("/v1/packages/{key}") { _, _ in .text("param") }
        router.get("/v1/packages/summary") { _, _ in .text("literal") }
        let handler = router.makeHandler()
        #expect(try await call(handler, .GET, "/v1/packages/summary").body == Array("literal".utf8))
        #expect(try await call(handler, .GET, "/v1/packages/other").body == Array("param".utf8))
    }

    @Test(arguments: ["/nope", "/v1", "/v1/packages", "/v1/packages/a/b", "/v1/packages/"])
    func unknownPath_is404Problem(_ path: String) async throws {
        let router = Router()
        router.get("/v1/packages/{key}") { _, _ in .text("x") }
        let r = try await call(router.makeHandler(), .GET, path)
        #expect(r.status == .notFound)
        #expect(r.headers["Content-Type"] == "application/problem+json")
        #expect(r.headers["X-Request-Id"] != nil)
        #expect(r.routePattern == nil)
    }

    @Test func otherMethod_is405WithAllow() async throws {
        let router = Router()
        router.get("/r") { _, _ in .text("g") }
        router.post("/r") { _, _ in .text("p") }
        let r = try await call(router.makeHandler(), .DELETE, "/r")
        #expect(r.status == .methodNotAllowed)
        #expect(r.headers["Allow"] == "GET, HEAD, POST")
    }

    @Test(arguments: [HTTPMethod.TRACE, .OPTIONS, .PATCH, .PUT, .OTHER])
    func methodsARouteLacks_are405WithAllow_not501(_ method: HTTPMethod) async throws {
        let router = Router()
        router.get("/r") { _, _ in .text("g") }
        let r = try await call(router.makeHandler(), method, "/r")
        #expect(r.status == .methodNotAllowed)
        #expect(r.headers["Allow"] == "GET, HEAD")
    }

    @Test func head_usesGetRouteWithoutBody_keepingItsLength() async throws {
        let router = Router()
        router.get("/r") { _, _ in .text("twelve bytes") }
        let r = try await call(router.makeHandler(), .HEAD, "/r")
        #expect(r.status == .ok)
        #expect(r.body.isEmpty)
        #expect(r.headers["Content-Length"] == "12")
    }

    @Test func middleware_runsOutermostFirst_andSeesTheRoutePattern() async throws {
        struct Tag: HTTPMiddleware {
            var name: String
            func handle(_ request: HTTPRequest, _ context: RequestContext, next: HTTPHandler) async throws -> HTTPResponse {
                var context = context
                context.attributes["trail", default: ""] += name + (context.routePattern ?? "?") + ">"
                var response = try await next(request, context)
                response.headers.add("X-Trail", name)
                return response
            }
        }
        let router = Router()
        router.add(middleware: Tag(name: "a"))
        router.add(middleware: Tag(name: "b"))
        router.get("/r/{id}") { _, ctx in .text(ctx.attributes["trail"] ?? "") }
        let r = try await call(router.makeHandler(), .GET, "/r/1")
        #expect(String(decoding: r.body, as: UTF8.self) == "a/r/{id}>b/r/{id}>")
        #expect(r.headers.values(for: "X-Trail") == ["b", "a"])
        // Middleware also wraps 404s.
        let missing = try await call(router.makeHandler(), .GET, "/missing")
        #expect(missing.headers.values(for: "X-Trail").isEmpty)  // the 404 is thrown through them
        #expect(missing.status == .notFound)
    }

    @Test func thrownResponseError_rendersItself_otherErrorsBecome500() async throws {
        struct Boom: Error {}
        let router = Router()
        router.get("/teapot") { _, _ in throw HTTPProblem(HTTPStatus(code: 418, reason: "I'm a teapot"), code: "teapot", detail: "short and stout") }
        router.get("/boom") { _, _ in throw Boom() }
        let handler = router.makeHandler()
        let teapot = try await call(handler, .GET, "/teapot", headers: ["X-Request-Id": "rid-1"])
        #expect(teapot.status.code == 418)
        #expect(String(decoding: teapot.body, as: UTF8.self)
            == #"{"type":"about:blank","title":"I'm a teapot","status":418,"detail":"short and stout","code":"teapot","requestId":"rid-1"}"#)
        let boom = try await call(handler, .GET, "/boom")
        #expect(boom.status == .internalServerError)
        #expect(String(decoding: boom.body, as: UTF8.self).contains(#""code":"internal""#))
        #expect(!String(decoding: boom.body, as: UTF8.self).contains("Boom"))
    }

    @Test func routes_listsEveryRegistration() {
        let router = Router()
        router.get("/a") { _, _ in .text("") }
        router.put("/a/{id}") { _, _ in .text("") }
        router.delete("/a/{id}") { _, _ in .text("") }
        router.post("/a/{id}") { _, _ in .text("") }
        #expect(router.routes.map { "\($0.method) \($0.pattern)" } == ["GET /a", "PUT /a/{id}", "DELETE /a/{id}", "POST /a/{id}"])
    }

    @Test(arguments: [("abc-1.2_3", true), ("", false), (String(repeating: "a", count: 129), false), ("a b", false), ("ü", false)])
    func requestID_acceptsOnlySaneValues(_ value: String, _ accepted: Bool) {
        #expect((RequestID.accept(value) != nil) == accepted)
    }

    @Test func queryItems_areDecodedWithPlusAsSpace() {
        let r = HTTPRequest(method: .GET, target: "/s?q=a+b%26c&empty=&flag&q=2")
        #expect(r.queryItems.map { "\($0.name)=\($0.value)" } == ["q=a b&c", "empty=", "flag=", "q=2"])
        #expect(r.queryItems.first { $0.name == "q" }?.value == "a b&c")
    }

    @Test func headers_areCaseInsensitive_andOrdered() {
        var h: HTTPHeaders = ["Content-Type": "a", "X-A": "1"]
        h.add("x-a", "2")
        #expect(h["CONTENT-TYPE"] == "a")
        #expect(h.values(for: "X-a") == ["1", "2"])
        h.replaceOrAdd("X-A", "3")
        #expect(h.values(for: "x-a") == ["3"])
        h.remove("content-type")
        #expect(h["Content-Type"] == nil)
        #expect(h.count == 1)
    }
}
