import Foundation
import Testing
import TPGWBCE
import TPGWCore
import TPGWTencent
@testable import TPGWGateway

@Suite struct ConfigurationTests {
    func write(_ json: String) throws -> String {
        let path = NSTemporaryDirectory() + "tpgw-config-\(UUID().uuidString).json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func loadsProductExampleWithEnvironmentOverrides() throws {
        let path = try write("""
            {"listen": "0.0.0.0:8080", "databaseURL": "postgres://tpgw@localhost:5432/tpgw", "pollIntervalSeconds": 300,
             "publicURL": "https://tpgw.example.internal",
             "accounts": [{"name": "prod", "provider": "bce", "accessKeyId": "AKIDEXAMPLE", "secretAccessKeyEnv": "TPGW_PROD_SECRET",
               "regions": ["bj", "gz", "su"], "endpoints": {"bj": "http://127.0.0.1:9101"}, "pollIntervalSeconds": 60}]}
            """)
        let config = try GatewayConfiguration.load(path: path, environment: ["TPGW_PROD_SECRET": "s3cret", "TPGW_LISTEN": "127.0.0.1:9000"])
        #expect(config.listen == "127.0.0.1:9000")
        #expect(config.sources.map(\.endpoint) == ["http://127.0.0.1:9101", "https://eip.gz.baidubce.com", "https://eip.su.baidubce.com"])
        #expect(config.sources.allSatisfy { $0.pollIntervalSeconds == 60 })
        #expect(config.accounts[0].resolveSecret(environment: ["TPGW_PROD_SECRET": "s3cret"]) == "s3cret")
    }

    @Test func reportsEveryProblemAtOnceWithoutEchoingSecrets() throws {
        let path = try write("""
            {"listen": 8080, "pollIntervalSeconds": 1, "typo": true,
             "accounts": [{"name": "a", "accessKeyId": "", "secretAccessKeyEnv": "MISSING", "regions": []},
                          {"name": "a", "accessKeyId": "AK", "secretAccessKeyEnv": "S", "regions": ["bj"], "endpoints": {"gz": "ftp://x"}}]}
            """)
        do {
            _ = try GatewayConfiguration.load(path: path, environment: ["S": "topsecretvalue"])
            Issue.record("expected a configuration error")
        } catch let error as ConfigurationError {
            let text = error.description
            for needle in ["listen: expected a string", "pollIntervalSeconds", "typo: unknown key", "accounts[0].accessKeyId",
                           "MISSING is not set", "accounts[0].regions", "duplicate account", "endpoints.gz"] {
                #expect(text.contains(needle), "missing \(needle) in \(text)")
            }
            #expect(!text.contains("topsecretvalue"))
        }
    }

    @Test func purchaseReconcilerSettings_areReadAndBounded() throws {
        let ok = try GatewayConfiguration.load(
            path: try write(#"{"purchaseReconcileSeconds": 30, "purchaseGiveUpMinutes": 120}"#), environment: [:])
        #expect(ok.purchaseReconcileSeconds == 30 && ok.purchaseGiveUpMinutes == 120)
        do {
            _ = try GatewayConfiguration.load(path: try write(#"{"purchaseReconcileSeconds": 0, "purchaseGiveUpMinutes": 1440}"#), environment: [:])
            Issue.record("expected a configuration error")
        } catch let error as ConfigurationError {
            #expect(error.problems.contains { $0.hasPrefix("purchaseReconcileSeconds") })
            #expect(error.problems.contains { $0.hasPrefix("purchaseGiveUpMinutes") && $0.contains("24 h") })
        }
    }

    @Test func offPeakAndDrawOrder_perAccount_defaultPerProvider() throws {
        let config = try GatewayConfiguration.load(path: try write("""
            {"accounts": [
              {"name": "tc", "provider": "tencent", "secretId": "AKID", "secretKeyEnv": "S", "regions": ["ap-guangzhou"],
               "offPeak": {"start": "22:00", "end": "06:00", "utcOffset": "+00:00"}, "drawOrder": "latestPurchaseFirst"},
              {"name": "tc2", "provider": "tencent", "secretId": "AKID2", "secretKeyEnv": "S", "regions": ["ap-shanghai"]},
              {"name": "prod", "accessKeyId": "AK", "secretAccessKeyEnv": "S", "regions": ["bj"]}]}
            """), environment: ["S": "secret"])
        let tc = config.accounts[0].poolRules(defaults: ProviderProfile.tencent.poolRules)
        #expect(tc.drawOrder == .latestPurchaseFirst && tc.offPeak.description == "22:00-06:00 UTC")
        #expect(config.accounts[1].poolRules(defaults: ProviderProfile.tencent.poolRules) == PoolRules(offPeak: .bce, drawOrder: .earliestDeadlineFirst))
        #expect(config.accounts[2].poolRules(defaults: ProviderProfile.bce.poolRules) == .bce)
    }

    @Test(arguments: [
        (#"{"start": "25:00", "end": "08:00"}"#, "offPeak.start"),
        (#"{"start": "00:00", "end": "8"}"#, "offPeak.end"),
        (#"{"start": "08:00", "end": "08:00"}"#, "start and end must differ"),
        (#"{"start": "00:00", "end": "08:00", "utcOffset": "+15:00"}"#, "offPeak.utcOffset"),
        (#"{"start": "00:00"}"#, "offPeak.end: required"),
        (#"{"start": "00:00", "end": "08:00", "zone": "Asia/Shanghai"}"#, "offPeak.zone: unknown key"),
    ])
    func badOffPeakWindow_isReportedByField(window: String, needle: String) throws {
        let path = try write("""
            {"accounts": [{"name": "tc", "provider": "tencent", "secretId": "AKID", "secretKeyEnv": "S", "regions": ["ap-guangzhou"],
               "offPeak": \(window), "drawOrder": "randomly"}]}
            """)
        do {
            _ = try GatewayConfiguration.load(path: path, environment: ["S": "secret"])
            Issue.record("expected a configuration error")
        } catch let error as ConfigurationError {
            #expect(error.description.contains(needle), "\(error.description)")
            #expect(error.description.contains("drawOrder: one of earliestDeadlineFirst"))
        }
    }

    @Test func rejectsNonJSON() throws {
        let path = try write("{not json")
        #expect(throws: ConfigurationError.self) { try GatewayConfiguration.load(path: path, environment: [:]) }
    }
}
