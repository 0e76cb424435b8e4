import Foundation
import TPGWCore
import TPGWGateway

/// A parsed `tpgw` command line.
enum Command: Equatable {
    case serve(configPath: String?, migrate: Bool)
    case migrate(configPath: String?)
    case keysCreate(configPath: String?, name: String, scopes: [String])
    case keysList(configPath: String?)
    case keysRevoke(configPath: String?, name: String)
    case checkConfig(configPath: String?)
    /// `tpgw forecast backtest`: replay the stored history through the forecaster.
    case forecastBacktest(configPath: String?, query: ForecastAccuracyQuery)
    case version
    case help(topic: String?)
    /// `tpgw packages|summary|sources|alerts|purchases`: ask a running gateway.
    case query(GatewayQuery)

    /// Parses arguments (without the program name).
    /// - Throws: `UsageError` with a message for the user (exit code 2).
    static func parse(_ args: [String], environment: [String: String]) throws -> Command {
        var rest = args
        guard let verb = rest.first else { return .help(topic: nil) }
        rest.removeFirst()
        if verb == "--help" || verb == "-h" || verb == "help" { return .help(topic: rest.first) }
        if verb == "--version" || verb == "version" { return rest.contains("--help") ? .help(topic: "version") : .version }
        var options = try Options(rest, environment: environment)
        if options.flags.contains("--help") || options.flags.contains("-h") {
            return .help(topic: verb == "keys" ? "keys" : verb)
        }
        let command: Command
        switch verb {
        case "serve":
            command = .serve(configPath: options.config, migrate: !options.take(flag: "--no-migrate"))
        case "migrate":
            command = .migrate(configPath: options.config)
        case "check-config":
            command = .checkConfig(configPath: options.config)
        case "keys":
            guard let sub = options.positional.first else { throw UsageError("keys: expected create, list or revoke") }
            options.positional.removeFirst()
            switch sub {
            case "create":
                guard let name = options.take(value: "--name"), !name.isEmpty else { throw UsageError("keys create: --name is required") }
                let scopeText = options.take(value: "--scope") ?? "read"
                let scopes = scopeText.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
                let known = ["read", "write", "admin"]
                if let bad = scopes.first(where: { !known.contains($0) }) {
                    throw UsageError("keys create: unknown scope \"\(bad)\" (use read, write, admin)")
                }
                if scopes.isEmpty { throw UsageError("keys create: --scope needs at least one of read, write, admin") }
                command = .keysCreate(configPath: options.config, name: name, scopes: scopes)
            case "list":
                command = .keysList(configPath: options.config)
            case "revoke":
                guard let name = options.positional.first ?? options.take(value: "--name") else {
                    throw UsageError("keys revoke: give the key's NAME")
                }
                if !options.positional.isEmpty { options.positional.removeFirst() }
                command = .keysRevoke(configPath: options.config, name: name)
            default:
                throw UsageError("keys: unknown subcommand \"\(sub)\" (create, list, revoke)")
            }
        case "forecast":
            guard options.positional.first == "backtest" else { throw UsageError("forecast: expected backtest") }
            options.positional.removeFirst()
            var query = ForecastAccuracyQuery()
            if let text = options.take(value: "--days") {
                guard let d = Int(text), ForecastAccuracyQuery.daysRange.contains(d) else {
                    throw UsageError("forecast backtest: --days must be a whole number of days from 1 to 28")
                }
                query.days = d
            }
            if let text = options.take(value: "--horizon") {
                guard let h = ForecastAccuracyQuery.hours(text) else {
                    throw UsageError("forecast backtest: --horizon \(ForecastAccuracyQuery.horizonMessage)")
                }
                query.horizonHours = h
            }
            if let text = options.take(value: "--confidence") {
                guard let c = ForecastAccuracyQuery.confidence(text) else {
                    throw UsageError("forecast backtest: --confidence \(ForecastAccuracyQuery.confidenceMessage)")
                }
                query.confidence = c
            }
            command = .forecastBacktest(configPath: options.config, query: query)
        case "silences":
            command = .query(try Self.silences(&options, environment: environment))
        default:
            guard let resource = GatewayQuery.Resource(rawValue: verb) else {
                throw UsageError("unknown command \"\(verb)\"; run `tpgw --help`")
            }
            command = .query(try Self.query(resource, &options, environment: environment))
        }
        try options.finish()
        return command
    }
}

extension Command {
    /// `--url`, `--key-file`, `--output`, `--limit` and the resource's filters.
    static func query(_ resource: GatewayQuery.Resource, _ options: inout Options, environment: [String: String]) throws -> GatewayQuery {
        var q = GatewayQuery(
            resource: resource, baseURL: options.take(value: "--url") ?? environment["TPGW_URL"] ?? "http://127.0.0.1:8080",
            keyFile: options.take(value: "--key-file"))
        guard q.baseURL.hasPrefix("http://") || q.baseURL.hasPrefix("https://") else {
            throw UsageError("\(resource.rawValue): --url must start with http:// or https://")
        }
        if let output = options.take(value: "--output") ?? options.take(value: "-o") {
            guard let o = GatewayQuery.Output(rawValue: output) else { throw UsageError("\(resource.rawValue): --output is table or json") }
            q.output = o
        }
        if let limit = options.take(value: "--limit") {
            guard let n = Int(limit), (1...100_000).contains(n) else { throw UsageError("\(resource.rawValue): --limit takes 1 to 100000") }
            q.limit = n
        }
        for name in GatewayQuery.filters[resource] ?? [] {
            if let value = options.take(value: "--" + name) { q.parameters.append((name, value)) }
        }
        return q
    }
}

extension Command {
    /// `tpgw silences list [--state active|all]`, `add (matchers) (--duration 2h | --ends-at TIME) [--starts-at TIME]
    /// --comment TEXT`, `expire ID`.
    static func silences(_ options: inout Options, environment: [String: String]) throws -> GatewayQuery {
        let sub = options.positional.isEmpty ? "list" : options.positional.removeFirst()
        switch sub {
        case "list":
            return try query(.silences, &options, environment: environment)
        case "add":
            var fields: [String: JSONValue] = [:]
            var matchers: [String: JSONValue] = [:]
            for name in ["budget", "kind", "provider", "account", "region", "package"] {
                if let v = options.take(value: "--" + name) { matchers[name] = .string(v) }
            }
            if matchers.isEmpty { throw UsageError("silences add: give at least one of --budget --kind --provider --account --region --package") }
            fields["matchers"] = .object(matchers)
            guard let comment = options.take(value: "--comment"), !comment.isEmpty else { throw UsageError("silences add: --comment is required") }
            fields["comment"] = .string(comment)
            let start = options.take(value: "--starts-at")
            if let start { fields["startsAt"] = .string(start) }
            if let ends = options.take(value: "--ends-at") {
                fields["endsAt"] = .string(ends)
            } else if let d = options.take(value: "--duration") {
                guard let seconds = Self.duration(d) else { throw UsageError("silences add: --duration takes e.g. 30m, 2h, 1d") }
                let from = start.flatMap(RFC3339.parse) ?? Date()
                fields["endsAt"] = .string(RFC3339.format(from.addingTimeInterval(seconds)))
            } else {
                throw UsageError("silences add: give --duration (e.g. 2h) or --ends-at TIME")
            }
            var q = try query(.silences, &options, environment: environment)
            q.parameters = []
            q.method = "POST"
            q.body = Array((try? JSONEncoder().encode(JSONValue.object(fields))) ?? Data())
            return q
        case "expire":
            guard !options.positional.isEmpty else { throw UsageError("silences expire: give the silence's ID") }
            let id = options.positional.removeFirst()
            var q = try query(.silences, &options, environment: environment)
            q.parameters = []
            q.method = "DELETE"
            q.pathOverride = "/v1/silences/" + GatewayQuery.encode(id)
            return q
        default:
            throw UsageError("silences: unknown subcommand \"\(sub)\" (list, add, expire)")
        }
    }

    /// `90s`, `30m`, `2h`, `1d` in seconds; nil when malformed or not positive.
    static func duration(_ s: String) -> TimeInterval? {
        guard let unit = s.last, let n = Double(s.dropLast()), n > 0, n.isFinite else { return nil }
        switch unit {
        case "s": return n
        case "m": return n * 60
        case "h": return n * 3600
        case "d": return n * 86400
        default: return nil
        }
    }
}

/// A command-line mistake; printed with usage, exit code 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// Splits `--flag`, `--key value`, `--key=value` and positionals.
struct Options {
    var values: [String: String] = [:]
    var flags: Set<String> = []
    var positional: [String] = []
    var config: String?

    static let valued: Set<String> = [
        "--config", "--name", "--scope", "--url", "--key-file", "--output", "-o", "--limit", "--provider", "--account", "--region",
        "--status", "--policy", "--sort", "--expiresBefore", "--minUsedRatio", "--group-by", "--state", "--budget", "--subject", "--requestedBy",
        "--kind", "--package", "--duration", "--ends-at", "--starts-at", "--comment", "--days", "--horizon", "--confidence",
    ]

    init(_ args: [String], environment: [String: String]) throws {
        var i = 0
        while i < args.count {
            let a = args[i]
            if a.hasPrefix("--"), let eq = a.firstIndex(of: "=") {
                values[String(a[..<eq])] = String(a[a.index(after: eq)...])
            } else if Self.valued.contains(a) {
                guard i + 1 < args.count else { throw UsageError("\(a) needs a value") }
                values[a] = args[i + 1]
                i += 1
            } else if a.hasPrefix("-") {
                flags.insert(a)
            } else {
                positional.append(a)
            }
            i += 1
        }
        config = values.removeValue(forKey: "--config") ?? environment["TPGW_CONFIG"]
    }

    mutating func take(flag: String) -> Bool { flags.remove(flag) != nil }
    mutating func take(value: String) -> String? { values.removeValue(forKey: value) }

    func finish() throws {
        if let f = flags.sorted().first { throw UsageError("unknown option \(f)") }
        if let v = values.keys.sorted().first { throw UsageError("unknown option \(v)") }
        if let p = positional.first { throw UsageError("unexpected argument \"\(p)\"") }
    }
}
