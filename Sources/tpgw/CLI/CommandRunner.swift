import Foundation
import TPGWCore

/// Runs a parsed command and returns the process exit code (0 ok, 1 runtime failure, 2 usage/configuration).
struct CommandRunner {
    let environment: [String: String]

    func run(_ command: Command) async -> Int32 {
        switch command {
        case .help(let topic):
            print(HelpText.text(for: topic))
            return 0
        case .version:
            print("tpgw \(TPGWVersion.current)")
            return 0
        case .checkConfig(let path):
            do {
                let config = try GatewayConfiguration.load(path: path, environment: environment)
                print("configuration ok: \(config.accounts.count) account(s), \(config.sources.count) source(s)")
                return 0
            } catch {
                fail("\(error)")
                return 2
            }
        default:
            fail("not implemented yet")
            return 1
        }
    }

    func fail(_ message: String) {
        FileHandle.standardError.write(Data("tpgw: \(message)\n".utf8))
    }
}
