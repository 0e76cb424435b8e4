import Foundation
import TPGWTestSupport
import Testing
import TPGWCore
@testable import TPGWGateway

/// `tpgw packages|summary|sources|alerts|purchases` as a person runs them: the real `tpgw` binary against a
/// live gateway on port 0 (real PostgreSQL, bce-sim, sockets), checking output and exit codes.
@Suite(.enabled(if: TestDatabase.isConfigured, "set TPGW_TEST_DATABASE_URL"))
struct CLIQueryTests {
    struct Run {
        var code: Int32
        var out: String
        var err: String
    }

    /// The `tpgw` built beside this test bundle.
    static var binary: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tpgw").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/tpgw").path
    }

    /// Runs the binary with `arguments` (output to files, so a large answer never blocks on a pipe), waiting
    /// without blocking a cooperative thread.
    static func tpgw(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tpgw-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "TERM": "xterm"].merging(environment) { _, b in b }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let code: Int32 = try await withCheckedThrowingContinuation { c in
            process.terminationHandler = { c.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { c.resume(throwing: error) }
        }
        return Run(code: code, out: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                   err: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    @Test func packagesAndSummaryAndSources_printAlignedTablesWithHumanUnits() async throws {
        try await GatewayHarness.with(regions: ["bj", "gz"], packages: 12) { gw in
            let env = ["TPGW_API_KEY": gw.keys["read"]!, "TPGW_URL": gw.baseURL]
            let packages = try await Self.tpgw(["packages", "--sort", "exhaustsAt"], environment: env)
            #expect(packages.code == 0, "\(packages.err)")
            let lines = packages.out.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("KEY") == true)
            #expect(lines.contains { $0.contains("bce:prod:bj:") && $0.contains("iB") })
            #expect(lines.last == "24 package(s)")
            #expect(!packages.out.contains("\u{1B}["), "no colours when not on a terminal")
            // Columns are aligned: every row's STATUS starts where the header's does.
            let statusColumn = try #require(lines.first?.range(of: "STATUS")).lowerBound.utf16Offset(in: lines[0])
            for row in lines.dropFirst().dropLast() { #expect(row.utf16.count > statusColumn) }

            let gz = try await Self.tpgw(["packages", "--region", "gz", "--output", "json", "--limit", "5"], environment: env)
            #expect(gz.code == 0)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(gz.out.utf8)) as? [String: Any])
            let items = try #require(json["items"] as? [[String: Any]])
            #expect(items.count == 5)
            #expect(items.allSatisfy { ($0["region"] as? String) == "gz" })

            let summary = try await Self.tpgw(["summary", "--group-by", "region"], environment: env)
            #expect(summary.code == 0, "\(summary.err)")
            #expect(summary.out.hasPrefix("REGION"))
            #expect(summary.out.contains("TOTAL"))
            #expect(summary.out.contains("2 of 2 source(s) ok"))

            let sources = try await Self.tpgw(["sources"], environment: env)
            #expect(sources.code == 0)
            #expect(sources.out.split(separator: "\n").filter { $0.contains(" ok ") || $0.hasSuffix(" ok") || $0.contains("ok  ") }.count == 2)

            let alerts = try await Self.tpgw(["alerts", "--state", "firing"], environment: env)
            #expect(alerts.code == 0, "\(alerts.err)")
            #expect(alerts.out.hasSuffix("alert(s)\n"))

            let purchases = try await Self.tpgw(["purchases"], environment: env)
            #expect(purchases.code == 0, "\(purchases.err)")
            #expect(purchases.out.hasPrefix("ID"))
        }
    }

    @Test func exitCodes_tellScriptsWhatWentWrong() async throws {
        try await GatewayHarness.with(regions: ["bj"], packages: 3) { gw in
            let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("tpgw-key-\(UUID().uuidString)").path
            try Data((gw.keys["read"]! + "\n").utf8).write(to: URL(fileURLWithPath: keyFile))
            defer { try? FileManager.default.removeItem(atPath: keyFile) }

            let ok = try await Self.tpgw(["sources", "--url", gw.baseURL, "--key-file", keyFile])
            #expect(ok.code == 0, "\(ok.err)")
            let noKey = try await Self.tpgw(["sources", "--url", gw.baseURL])
            #expect(noKey.code == 3)
            #expect(noKey.err.contains("TPGW_API_KEY"))
            let badKey = try await Self.tpgw(["sources", "--url", gw.baseURL], environment: ["TPGW_API_KEY": "tpgw_nope"])
            #expect(badKey.code == 3)
            let badFilter = try await Self.tpgw(["packages", "--url", gw.baseURL, "--key-file", keyFile, "--status", "bogus"])
            #expect(badFilter.code == 2)
            #expect(badFilter.err.contains("status"))
            let usage = try await Self.tpgw(["packages", "--output", "xml"])
            #expect(usage.code == 2)
            let down = try await Self.tpgw(["summary", "--url", "http://127.0.0.1:1", "--key-file", keyFile])
            #expect(down.code == 1)
            #expect(down.err.contains("cannot reach the gateway"))
            #expect(!down.err.contains(gw.keys["read"]!))
        }
    }
}
