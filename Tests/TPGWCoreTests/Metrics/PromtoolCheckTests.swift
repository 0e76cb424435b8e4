import Foundation
import Testing
import TPGWCore

/// Runs `promtool check metrics` (Debian package `prometheus`) on a scrape with every tpgw family.
@Suite struct PromtoolCheckTests {
    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let inCI = ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false

    @Test(.enabled(if: promtool != nil || inCI, "promtool is not installed (apt-get install prometheus)"))
    func fullScrape_passesPromtoolCheckMetrics() throws {
        let promtool = try #require(Self.promtool, "promtool must be installed in CI (scripts/test.d/30-deploy.sh)")
        let text = MetricsSample.fullScrape()

        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool check metrics: \(report)")
        #expect(report.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "promtool lint: \(report)")
    }

    @Test func fullScrape_containsEveryDocumentedFamily() {
        let text = MetricsSample.fullScrape()
        for name in MetricsSample.documentedNames {
            #expect(text.contains("# TYPE \(name) "), "missing \(name)")
        }
    }
}
