import Foundation
import TPGWCore
import Testing
@testable import TPGWGateway
@testable import tpgw

@Suite struct CommandTests {
    @Test func parsesServeWithConfigAndNoMigrate() throws {
        #expect(try Command.parse(["serve", "--config", "a.json", "--no-migrate"], environment: [:]) == .serve(configPath: "a.json", migrate: false))
        #expect(try Command.parse(["serve"], environment: ["TPGW_CONFIG": "b.json"]) == .serve(configPath: "b.json", migrate: true))
    }

    @Test func parsesSilencesSubcommands() throws {
        guard case .query(let list) = try Command.parse(["silences", "list", "--state", "active"], environment: [:]) else { Issue.record("not a query"); return }
        #expect(list.method == "GET")
        #expect(list.target(cursor: nil) == "/v1/silences?state=active&limit=100")
        guard case .query(let add) = try Command.parse(
            ["silences", "add", "--region", "bj", "--kind", "usedRatio", "--ends-at", "2026-12-03T00:00:00Z", "--comment", "maint"], environment: [:])
        else { Issue.record("not a query"); return }
        #expect(add.method == "POST")
        #expect(add.target(cursor: nil) == "/v1/silences")
        let body = try JSONDecoder().decode(JSONValue.self, from: Data(add.body ?? []))
        #expect(body["matchers"]?["region"]?.stringValue == "bj")
        #expect(body["matchers"]?["kind"]?.stringValue == "usedRatio")
        #expect(body["endsAt"]?.stringValue == "2026-12-03T00:00:00Z")
        #expect(body["comment"]?.stringValue == "maint")
        guard case .query(let expire) = try Command.parse(["silences", "expire", "sil_1"], environment: [:]) else { Issue.record("not a query"); return }
        #expect(expire.method == "DELETE")
        #expect(expire.target(cursor: nil) == "/v1/silences/sil_1")
        #expect(Command.duration("2h") == 7200)
        #expect(Command.duration("0m") == nil)
        #expect(throws: UsageError.self) { try Command.parse(["silences", "add", "--comment", "x", "--duration", "1h"], environment: [:]) }
        #expect(throws: UsageError.self) { try Command.parse(["silences", "add", "--region", "bj", "--duration", "1h"], environment: [:]) }
        #expect(throws: UsageError.self) { try Command.parse(["silences", "mute"], environment: [:]) }
    }

    @Test func parsesForecastBacktest_withBoundedDaysAndHorizon() throws {
        #expect(try Command.parse(["forecast", "backtest"], environment: [:]) == .forecastBacktest(configPath: nil, query: .init()))
        #expect(try Command.parse(["forecast", "backtest", "--days", "7", "--horizon", "2d", "--config", "c.json"], environment: [:])
            == .forecastBacktest(configPath: "c.json", query: .init(days: 7, horizonHours: 48)))
        #expect(try Command.parse(["forecast", "backtest", "--confidence", "0.95"], environment: [:])
            == .forecastBacktest(configPath: nil, query: .init(confidence: 0.95)))
        for bad in [["forecast"], ["forecast", "backtest", "--days", "29"], ["forecast", "backtest", "--horizon", "0h"],
                    ["forecast", "backtest", "--confidence", "1.5"]] {
            #expect(throws: UsageError.self) { try Command.parse(bad, environment: [:]) }
        }
    }

    @Test func parsesKeysSubcommands() throws {
        #expect(try Command.parse(["keys", "create", "--name", "team-a", "--scope", "read,write"], environment: [:])
            == .keysCreate(configPath: nil, name: "team-a", scopes: ["read", "write"]))
        #expect(try Command.parse(["keys", "list"], environment: [:]) == .keysList(configPath: nil))
        #expect(try Command.parse(["keys", "revoke", "team-a"], environment: [:]) == .keysRevoke(configPath: nil, name: "team-a"))
    }

    @Test func parsesGatewayQueries_withFiltersURLAndOutput() throws {
        let q = try Command.parse(["packages", "--region", "bj", "--sort", "-usedRatio", "-o", "json", "--limit", "20", "--key-file", "k"],
                                  environment: ["TPGW_URL": "https://tpgw.example"])
        guard case .query(let query) = q else { Issue.record("\(q)"); return }
        #expect(query.resource == .packages)
        #expect(query.baseURL == "https://tpgw.example")
        #expect(query.output == .json)
        #expect(query.keyFile == "k")
        #expect(query.target(cursor: nil) == "/v1/packages?region=bj&sort=-usedRatio&limit=20")
        #expect(query.target(cursor: "abc") == "/v1/packages?region=bj&sort=-usedRatio&limit=20&cursor=abc")
        guard case .query(let s) = try Command.parse(["summary", "--group-by", "account"], environment: [:]) else { return }
        #expect(s.target(cursor: nil) == "/v1/summary?groupBy=account")
        #expect(s.baseURL == "http://127.0.0.1:8080")
    }

    @Test(arguments: [
        ["packages", "--output", "yaml"], ["packages", "--limit", "0"], ["packages", "--url", "ftp://x"], ["summary", "--region", "bj"],
        ["sources", "extra"], ["alerts", "--frobnicate"],
        ["bogus"], ["serve", "--frobnicate"], ["keys"], ["keys", "create"], ["keys", "create", "--name", "x", "--scope", "root"],
        ["migrate", "extra"], ["serve", "--config"],
    ])
    func rejectsBadUsage(args: [String]) {
        #expect(throws: UsageError.self) { try Command.parse(args, environment: [:]) }
    }

    @Test func helpIsAvailableEverywhere() throws {
        #expect(try Command.parse([], environment: [:]) == .help(topic: nil))
        #expect(try Command.parse(["keys", "--help"], environment: [:]) == .help(topic: "keys"))
        #expect(try Command.parse(["serve", "--help"], environment: [:]) == .help(topic: "serve"))
    }
}
