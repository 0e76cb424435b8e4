import Foundation
import Testing
import TPGWCore
@testable import TPGWGateway

/// Every registered route is in openapi.yaml, and openapi.yaml names no route that does not exist.
@Suite struct OpenAPICoverageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `(METHOD, path)` pairs from the spec's `paths:` block (two-space path keys, four-space method keys).
    static func specRoutes() throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        var routes = Set<String>()
        var inPaths = false
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, let first = line.first, first != " " { break }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                current = String(line.dropFirst(2).dropLast())
            } else if let current, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
                if ["GET", "POST", "PUT", "DELETE", "PATCH"].contains(method) { routes.insert("\(method) \(current)") }
            }
        }
        return routes
    }

    @Test func registeredRoutesMatchTheSpec() throws {
        let config = try GatewayConfiguration.load(path: nil, environment: ["TPGW_DATABASE_URL": "postgres://tpgw@127.0.0.1:1/tpgw"])
        let app = try Gateway.make(configuration: config, clock: ContinuousClock(), logger: .disabled)
        app.registerRoutes(refresh: { _, _ in [] })
        let registered = Set(app.router.routes.map { "\($0.method.rawValue) \($0.pattern)" })
        let spec = try Self.specRoutes()
        #expect(registered.subtracting(spec).sorted() == [], "routes missing from openapi.yaml")
        #expect(spec.subtracting(registered).sorted() == [], "routes in openapi.yaml that do not exist")
    }
}
