import Foundation
import TPGWCore
import TPGWGateway

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
        case .query(let query):
            return await GatewayQueryRunner(environment: environment).run(query)
        case .checkConfig(let path):
            do {
                let config = try GatewayConfiguration.load(path: path, environment: environment)
                print("configuration ok: \(config.overview)")
                return 0
            } catch {
                fail("\(error)")
                return 2
            }
        case .serve(let path, let migrate):
            return await withApplication(path) { app in try await app.serve(migrate: migrate) }
        case .migrate(let path):
            return await withApplication(path) { app in
                let report = try await app.migrator.migrate()
                print("migrations: \(report.applied.count) applied, database at version \((report.alreadyApplied + report.applied).max() ?? 0)")
            }
        case .keysCreate(let path, let name, let scopes):
            return await withApplication(path) { app in print(try await app.createKey(name: name, scopes: scopes)) }
        case .forecastBacktest(let path, let query):
            return await withApplication(path) { app in
                print(try await app.forecastAccuracy.run(query, now: Date()).text)
            }
        case .keysList(let path):
            return await withApplication(path) { app in for line in try await app.listKeys() { print(line) } }
        case .keysRevoke(let path, let name):
            return await withApplication(path) { app in
                try await app.revokeKey(name: name)
                print("revoked \(name)")
            }
        }
    }

    /// Loads configuration, builds the application, runs `body`, and maps failures to exit codes.
    private func withApplication(_ path: String?, _ body: (Application) async throws -> Void) async -> Int32 {
        let config: GatewayConfiguration
        do {
            config = try GatewayConfiguration.load(path: path, environment: environment)
        } catch {
            fail("\(error)")
            return 2
        }
        let logger = Logger(label: "tpgw", level: config.logLevel)
        let app: Application
        do {
            app = try Gateway.make(configuration: config, clock: ContinuousClock(), logger: logger)
        } catch {
            fail("\(error)")
            return 2
        }
        do {
            try await body(app)
            await app.shutdown()
            return 0
        } catch let error as AppError {
            fail(error.message)
        } catch {
            fail("\(error)")
        }
        await app.shutdown()
        return 1
    }

    func fail(_ message: String) {
        FileHandle.standardError.write(Data("tpgw: \(message)\n".utf8))
    }
}
