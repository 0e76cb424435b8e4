import Foundation
import TPGWCore
import TPGWHTTP
import bce_sim

/// `bce-sim --regions bj,gz,su --base-port 9100 --ak AK --sk SK [--packages N] [--seed S] [--max-keys-cap N]
/// [--capacity-as-strings] [--time-scale X] [--demo] [--host 127.0.0.1]`
///
/// Prints one JSON line with the bound ports (`{"regions":{"bj":9100,...}}`) and runs until SIGTERM/SIGINT.
@main
enum BCESimCommand {
    struct Options {
        var regions: [String] = ["bj", "gz", "su"]
        var basePort = 9100
        var ak = "AK"
        var sk = "SK"
        var packages = 20
        var seed: UInt64 = 1
        var maxKeysCap = 1000
        var capacityAsStrings = false
        var timeScale = 1.0
        var demo = false
        var host = "127.0.0.1"
    }

    static let usage = """
        usage: bce-sim --regions bj,gz,su --base-port 9100 --ak AK --sk SK [--packages N] [--seed S]
                       [--max-keys-cap N] [--capacity-as-strings] [--time-scale X] [--demo] [--host ADDR]
          --demo   a calm fleet: packages used at a sustainable pace, three nearly used up, the second region
                   down (503) 8 of every 48 simulated hours
        """

    struct UsageError: Error { var message: String }

    static func parse(_ args: [String]) -> Result<Options, UsageError> {
        var o = Options()
        var i = 0
        func value() -> String? {
            i += 1
            return i < args.count ? args[i] : nil
        }
        while i < args.count {
            let a = args[i]
            switch a {
            case "--regions":
                guard let v = value() else { return .failure(UsageError(message: "--regions needs a value")) }
                o.regions = v.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            case "--base-port":
                guard let v = value(), let n = Int(v), (0...65535).contains(n) else { return .failure(UsageError(message: "--base-port needs a port")) }
                o.basePort = n
            case "--ak": guard let v = value() else { return .failure(UsageError(message: "--ak needs a value")) }; o.ak = v
            case "--sk": guard let v = value() else { return .failure(UsageError(message: "--sk needs a value")) }; o.sk = v
            case "--packages":
                guard let v = value(), let n = Int(v), n >= 0 else { return .failure(UsageError(message: "--packages needs a count")) }
                o.packages = n
            case "--seed":
                guard let v = value(), let n = UInt64(v) else { return .failure(UsageError(message: "--seed needs a number")) }
                o.seed = n
            case "--max-keys-cap":
                guard let v = value(), let n = Int(v), n >= 1 else { return .failure(UsageError(message: "--max-keys-cap needs a positive number")) }
                o.maxKeysCap = n
            case "--capacity-as-strings": o.capacityAsStrings = true
            case "--demo": o.demo = true
            case "--time-scale":
                guard let v = value(), let x = Double(v), x >= 0 else { return .failure(UsageError(message: "--time-scale needs a non-negative number")) }
                o.timeScale = x
            case "--host": guard let v = value() else { return .failure(UsageError(message: "--host needs a value")) }; o.host = v
            case "-h", "--help": return .failure(UsageError(message: ""))
            default: return .failure(UsageError(message: "unknown option \(a)"))
            }
            i += 1
        }
        if o.regions.isEmpty { return .failure(UsageError(message: "--regions is empty")) }
        return .success(o)
    }

    static func main() async {
        let options: Options
        switch parse(Array(CommandLine.arguments.dropFirst())) {
        case .success(let o): options = o
        case .failure(let usageError):
            let message = usageError.message
            if !message.isEmpty { FileHandle.standardError.write(Data("bce-sim: \(message)\n".utf8)) }
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            exit(message.isEmpty ? 0 : 2)
        }
        let logger = Logger(label: "bce-sim", level: .warning, sink: JSONLineLogSink())
        let sim: SimulatorServer
        do {
            sim = try await SimulatorServer.start(
                regions: options.regions, ak: options.ak, sk: options.sk, packagesPerRegion: options.packages, seed: options.seed,
                maxKeysCap: options.maxKeysCap, capacityAsStrings: options.capacityAsStrings, timeScale: options.timeScale,
                demo: options.demo, host: options.host, basePort: options.basePort, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("bce-sim: cannot start: \(error)\n".utf8))
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
