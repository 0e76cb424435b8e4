import Foundation
import Testing

/// openapi.yaml documents `503` on every route that can lose its database (every route but liveness, the metrics
/// scrape and the status page, which answer from memory); APIDatabaseOutageTests checks the answers themselves.
@Suite struct OpenAPIUnavailableTests {
    static let answerFromMemory: Set<String> = ["GET /healthz", "GET /metrics", "GET /"]

    /// `METHOD path` of every operation in `paths:` with whether its responses list `"503"`.
    static func documents503() throws -> [String: Bool] {
        let text = try String(contentsOf: OpenAPICoverageTests.root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        var out: [String: Bool] = [:]
        var inPaths = false
        var path: String?
        var operation: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, let first = line.first, first != " ", first != "#" { break }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
                guard ["GET", "POST", "PUT", "DELETE", "PATCH"].contains(method) else { continue }
                operation = "\(method) \(path)"
                out[operation!] = false
            } else if let operation, line.hasPrefix("        \"503\":") {
                out[operation] = true
            }
        }
        return out
    }

    @Test func everyRouteThatNeedsTheDatabase_documents503() throws {
        let documented = try Self.documents503()
        #expect(documented.count >= 26)
        let missing = documented.filter { !$0.value && !Self.answerFromMemory.contains($0.key) }.keys.sorted()
        #expect(missing == [], "routes without a 503 response in openapi.yaml")
    }
}
