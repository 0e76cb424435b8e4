import Foundation
import TPGWCore

/// One cloud credential and the regions it watches.
///
/// Baidu (`"provider": "bce"`, the default): `accessKeyId`, `secretAccessKeyEnv` or `secretAccessKeyFile`, `regions`
/// (default every BCE region), optional `endpoints` per region. Tencent (`"provider": "tencent"`): `secretId`,
/// `secretKeyEnv` or `secretKeyFile`, `regions` (required, e.g. `ap-guangzhou`), optional `endpoint` (default
/// `https://vpc.tencentcloudapi.com`; the region travels in a header). The Tencent names fill the same fields.
struct AccountConfiguration: Sendable, CustomStringConvertible {
    static let providers = ["bce", "tencent"]

    var name: String = ""
    var provider: String = "bce"
    /// BCE access key id, or Tencent SecretId.
    var accessKeyId: String = ""
    /// Tencent: the one domain every region is called through.
    var endpoint: String?
    /// Whether `regions` was given (Tencent has no default list).
    var regionsGiven = false
    var secretAccessKeyEnv: String?
    var secretAccessKeyFile: String?
    /// The secret itself, read from `secretAccessKeyEnv` or `secretAccessKeyFile` by `GatewayConfiguration.load`
    /// (the only place that reads the environment); tests set it directly. Never logged (`description`).
    var secret: String?
    var regions: [String] = Regions.bce
    var endpoints: [String: String] = [:]
    var pollIntervalSeconds: Int?

    init(
        name: String, accessKeyId: String, secretAccessKeyEnv: String? = nil, secret: String? = nil, regions: [String],
        endpoints: [String: String] = [:]
    ) {
        self.name = name
        self.accessKeyId = accessKeyId
        self.secretAccessKeyEnv = secretAccessKeyEnv
        self.secret = secret
        self.regions = regions
        self.endpoints = endpoints
    }

    init(reading reader: inout JSONObjectReader) {
        name = reader.string("name") ?? ""
        provider = reader.string("provider") ?? provider
        if provider == "tencent" {
            accessKeyId = reader.string("secretId") ?? ""
            secretAccessKeyEnv = reader.string("secretKeyEnv")
            secretAccessKeyFile = reader.string("secretKeyFile")
            endpoint = reader.string("endpoint")
        } else {
            accessKeyId = reader.string("accessKeyId") ?? ""
            secretAccessKeyEnv = reader.string("secretAccessKeyEnv")
            secretAccessKeyFile = reader.string("secretAccessKeyFile")
        }
        if let list = reader.array("regions") {
            regionsGiven = true
            regions = list.enumerated().compactMap { i, v in
                guard let s = v.stringValue else {
                    reader.problems.append("\(reader.path)regions[\(i)]: expected a string")
                    return nil
                }
                return s
            }
        }
        if let object = reader.object("endpoints") {
            for (region, value) in object {
                if let url = value.stringValue { endpoints[region] = url } else {
                    reader.problems.append("\(reader.path)endpoints.\(region): expected a URL string")
                }
            }
        }
        pollIntervalSeconds = reader.int("pollIntervalSeconds")
        reader.rejectUnknownKeys()
    }

    func validate(index i: Int, environment: [String: String]) -> [String] {
        let p = "accounts[\(i)]."
        let tencent = provider == "tencent"
        let (idKey, envKey, fileKey) = tencent ? ("secretId", "secretKeyEnv", "secretKeyFile") : ("accessKeyId", "secretAccessKeyEnv", "secretAccessKeyFile")
        var problems: [String] = []
        if name.isEmpty || name.contains(":") || name.contains("/") { problems.append("\(p)name: required, without ':' or '/'") }
        if !Self.providers.contains(provider) {
            problems.append("\(p)provider: unsupported provider \"\(provider)\" (one of \(Self.providers.joined(separator: ", ")))")
        }
        if accessKeyId.isEmpty { problems.append("\(p)\(idKey): required") }
        switch (secretAccessKeyEnv, secretAccessKeyFile) {
        case (nil, nil): problems.append("\(p)\(envKey) or \(fileKey): one is required")
        case (.some, .some): problems.append("\(p)\(envKey) and \(fileKey): give only one")
        case (let env?, nil):
            if (environment[env] ?? "").isEmpty { problems.append("\(p)\(envKey): environment variable \(env) is not set") }
        case (nil, let file?):
            if !FileManager.default.isReadableFile(atPath: file) { problems.append("\(p)\(fileKey): cannot read \(file)") }
        }
        if tencent && !regionsGiven { problems.append("\(p)regions: required for tencent (e.g. [\"ap-guangzhou\"])") }
        if regions.isEmpty { problems.append("\(p)regions: at least one region") }
        for (j, region) in regions.enumerated() where !Regions.isPlausible(region) {
            problems.append("\(p)regions[\(j)]: \"\(region)\" is not a region name")
        }
        if Set(regions).count != regions.count { problems.append("\(p)regions: duplicate region") }
        for (region, url) in endpoints.sorted(by: { $0.key < $1.key }) {
            if !regions.contains(region) { problems.append("\(p)endpoints.\(region): not one of this account's regions") }
            if !Self.isHTTPURL(url) { problems.append("\(p)endpoints.\(region): not an http(s) URL") }
        }
        if let endpoint, !Self.isHTTPURL(endpoint) { problems.append("\(p)endpoint: not an http(s) URL") }
        if let n = pollIntervalSeconds, !(5...86400).contains(n) { problems.append("\(p)pollIntervalSeconds: must be between 5 and 86400") }
        return problems
    }

    static func isHTTPURL(_ url: String) -> Bool {
        guard let u = URL(string: url), let scheme = u.scheme, ["http", "https"].contains(scheme), u.host != nil else { return false }
        return true
    }

    /// The URL a region of this account is read through.
    func endpoint(region: String) -> String {
        provider == "tencent" ? (endpoint ?? "https://vpc.tencentcloudapi.com") : (endpoints[region] ?? "https://eip.\(region).baidubce.com")
    }

    /// Reads the secret from its environment variable or file; nil when unavailable.
    func resolveSecret(environment: [String: String]) -> String? {
        if let env = secretAccessKeyEnv { return environment[env].flatMap { $0.isEmpty ? nil : $0 } }
        if let file = secretAccessKeyFile, let data = FileManager.default.contents(atPath: file) {
            let s = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return s.isEmpty ? nil : s
        }
        return nil
    }

    var description: String { "AccountConfiguration(name: \(name), accessKeyId: \(accessKeyId), secret: ***)" }
}

extension Regions {
    /// Known regions, or anything that looks like a region code (lowercase letters and digits).
    static func isPlausible(_ region: String) -> Bool {
        !region.isEmpty && region.count <= 16 && region.allSatisfy { ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "-" }
    }
}
