import Foundation
import TPGWCore

/// The `tpgw` executable: parses the command line and runs one command.
@main
enum Entry {
    static func main() async {
        let environment = ProcessInfo.processInfo.environment
        let command: Command
        do {
            command = try Command.parse(Array(CommandLine.arguments.dropFirst()), environment: environment)
        } catch {
            FileHandle.standardError.write(Data("tpgw: \(error)\n\n\(HelpText.text(for: nil))\n".utf8))
            exit(2)
        }
        let code = await CommandRunner(environment: environment).run(command)
        exit(code)
    }
}
