import Foundation
import TPGWCore
import TPGWHTTP
import tencent_sim

/// `tencent-sim --regions ap-guangzhou,ap-shanghai --port 0 --secret-id ID --secret-key KEY [--packages N] [--seed S]
/// [--limit-cap N] [--quota N] [--time-scale X] [--host 127.0.0.1]`
///
/// Prints one JSON line with the bound port (`{"port":41234,"regions":{"ap-guangzhou":41234,…}}`; every region is
/// served on the one port, chosen by `X-TC-Region`) and runs until SIGTERM/SIGINT.
@main
enum TencentSimCommand {
    struct Options {
        var regions = ["ap-guangzhou", "ap-shanghai", "ap-beijing"]
        var port = 0
        var secretID = "AKIDtencentsim"
        var secretKey = "tencent-sim-secret"
        var packages = 20
        var seed: UInt64 = 1
        var limitCap = 100
        var quota = 5000
        var timeScale = 1.0
        var host = "127.0.0.1"
    }

    static let usage = """
        usage: tencent-sim --regions ap-guangzhou,ap-shanghai --port 0 --secret-id ID --secret-key KEY [--packages N]
                           [--seed S] [--limit-cap N] [--quota N] [--time-scale X] [--host ADDR]
        --time-scale: simulated seconds per real second (default 1; 0 freezes usage; 3600 makes an hour a second)
        """

    struct UsageError: Error { var message: String }

    static func parse(_ args: [String]) -> Result<Options, UsageError> {
        var o = Options()
        var i = 0
        func value() -> String? {
            i += 1
            return i < args.count ? args[i] : nil
        }
        func fail(_ m: String) -> Result<Options, UsageError> { .failure(UsageError(message: m)) }
        while i < args.count {
            switch args[i] {
            case "--regions":
                guard let v = value() else { return fail("--regions needs a value") }
                o.regions = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            case "--port", "--base-port":
                guard let v = value(), let n = Int(v), (0...65535).contains(n) else { return fail("--port needs a port") }
                o.port = n
            case "--secret-id": guard let v = value() else { return fail("--secret-id needs a value") }; o.secretID = v
            case "--secret-key": guard let v = value() else { return fail("--secret-key needs a value") }; o.secretKey = v
            case "--packages":
                guard let v = value(), let n = Int(v), n >= 0 else { return fail("--packages needs a count") }
                o.packages = n
            case "--seed":
                guard let v = value(), let n = UInt64(v) else { return fail("--seed needs a number") }
                o.seed = n
            case "--limit-cap":
                guard let v = value(), let n = Int(v), (1...100).contains(n) else { return fail("--limit-cap needs 1-100") }
                o.limitCap = n
            case "--quota":
                guard let v = value(), let n = Int(v), n >= 0 else { return fail("--quota needs a count") }
                o.quota = n
            case "--time-scale":
                guard let v = value(), let x = Double(v), x.isFinite, (0...1_000_000).contains(x) else { return fail("--time-scale needs 0-1000000") }
                o.timeScale = x
            case "--host": guard let v = value() else { return fail("--host needs a value") }; o.host = v
            case "-h", "--help": return fail("")
            default: return fail("unknown option \(args[i])")
            }
            i += 1
        }
        if o.regions.isEmpty { return fail("--regions is empty") }
        return .success(o)
    }

    static func main() async {
        let options: Options
        switch parse(Array(CommandLine.arguments.dropFirst())) {
        case .success(let o): options = o
        case .failure(let e):
            if !e.message.isEmpty { FileHandle.standardError.write(Data("tencent-sim: \(e.message)\n".utf8)) }
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            exit(e.message.isEmpty ? 0 : 2)
        }
        let logger = Logger(label: "tencent-sim", level: .warning, sink: JSONLineLogSink())
        let sim: TencentSimServer
        do {
            sim = try await TencentSimServer.start(
                regions: options.regions, secretID: options.secretID, secretKey: options.secretKey, packagesPerRegion: options.packages,
                seed: options.seed, limitCap: options.limitCap, quota: options.quota, timeScale: options.timeScale, host: options.host, port: options.port, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("tencent-sim: cannot start: \(error)\n".utf8))
            exit(1)
        }
        FileHandle.standardOutput.write(Data((sim.portsJSON + "\n").utf8))
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            SignalWatcher.install {
                await sim.stop()
                c.resume()
            }
        }
    }
}
