import Testing
@testable import tpgw

@Suite struct CommandTests {
    @Test func parsesServeWithConfigAndNoMigrate() throws {
        #expect(try Command.parse(["serve", "--config", "a.json", "--no-migrate"], environment: [:]) == .serve(configPath: "a.json", migrate: false))
        #expect(try Command.parse(["serve"], environment: ["TPGW_CONFIG": "b.json"]) == .serve(configPath: "b.json", migrate: true))
    }

    @Test func parsesKeysSubcommands() throws {
        #expect(try Command.parse(["keys", "create", "--name", "team-a", "--scope", "read,write"], environment: [:])
            == .keysCreate(configPath: nil, name: "team-a", scopes: ["read", "write"]))
        #expect(try Command.parse(["keys", "list"], environment: [:]) == .keysList(configPath: nil))
        #expect(try Command.parse(["keys", "revoke", "team-a"], environment: [:]) == .keysRevoke(configPath: nil, name: "team-a"))
    }

    @Test(arguments: [
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
