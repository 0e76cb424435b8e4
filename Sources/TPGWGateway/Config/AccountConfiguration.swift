import Foundation
import TPGWCore

/// One cloud credential and the regions it watches.
///
/// Baidu (`"provider": "bce"`, the default): `accessKeyId`, `secretAccessKeyEnv` or `secretAccessKeyFile`, `regions`
/// (default every BCE region), optional `endpoints` per region. Tencent (`"provider": "tencent"`): `secretId`,
/// `secretKeyEnv` or `secretKeyFile`, `regions` (required, e.g. `ap-guangzhou`), optional `endpoint` (default
/// `https://vpc.tencentcloudapi.com`; the region travels in a header). The Tencent names fill the same fields.
///
/// Either provider: `offPeak` (`{"start": "00:00", "end": "08:00", "utcOffset": "+08:00"}`, the hours off-peak
/// packages are drawn) and `drawOrder` (`earliestDeadlineFirst`, `earliestPurchaseFirst`, `latestPurchaseFirst`),
/// what the pool forecasts assume; the provider's defaults when left out (Tencent documents neither).
package struct AccountConfiguration: Sendable, CustomStringConvertible {
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
    /// `offPeak` as written: start and end (`HH:MM`, local) and the UTC offset (`+08:00`).
    var offPeak: (start: String, end: String, utcOffset: String)?
    /// `drawOrder` as written.
    var drawOrder: String?

    package init(
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
        if let object = reader.object("offPeak") {
            func text(_ key: String, default value: String? = nil) -> String {
                if let v = object[key] {
                    guard let s = v.stringValue else {
                        reader.problems.append("\(reader.path)offPeak.\(key): expected a string")
                        return ""
                    }
                    return s
                }
                if let value { return value }
                reader.problems.append("\(reader.path)offPeak.\(key): required")
                return ""
            }
            for key in object.keys.sorted() where !["start", "end", "utcOffset"].contains(key) {
                reader.problems.append("\(reader.path)offPeak.\(key): unknown key (start, end, utcOffset)")
            }
            offPeak = (text("start"), text("end"), text("utcOffset", default: "+08:00"))
        }
        drawOrder = reader.string("drawOrder")
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
        if let offPeak {
            let start = Self.minuteOfDay(offPeak.start), end = Self.minuteOfDay(offPeak.end)
            if start == nil { problems.append("\(p)offPeak.start: expected HH:MM (00:00-23:59), got \"\(offPeak.start.prefix(20))\"") }
            if end == nil { problems.append("\(p)offPeak.end: expected HH:MM (00:00-24:00), got \"\(offPeak.end.prefix(20))\"") }
            if let start, let end, start % 1440 == end % 1440 { problems.append("\(p)offPeak: start and end must differ (an empty or whole-day window)") }
            if Self.utcOffsetMinutes(offPeak.utcOffset) == nil {
                problems.append("\(p)offPeak.utcOffset: expected +HH:MM or -HH:MM between -12:00 and +14:00, got \"\(offPeak.utcOffset.prefix(20))\"")
            }
        }
        if let drawOrder, DrawOrder(rawValue: drawOrder) == nil {
            problems.append("\(p)drawOrder: one of \(DrawOrder.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(drawOrder.prefix(40))\"")
        }
        return problems
    }

    /// What this account's pool forecasts assume: its `offPeak` and `drawOrder`, else the provider's defaults.
    func poolRules(defaults: PoolRules) -> PoolRules {
        var rules = defaults
        if let offPeak, let start = Self.minuteOfDay(offPeak.start), let end = Self.minuteOfDay(offPeak.end),
           let offset = Self.utcOffsetMinutes(offPeak.utcOffset), start % 1440 != end % 1440 {
            rules.offPeak = OffPeakWindow(startMinute: start, endMinute: end, utcOffsetMinutes: offset)
        }
        if let drawOrder, let order = DrawOrder(rawValue: drawOrder) { rules.drawOrder = order }
        return rules
    }

    /// Minutes after midnight of `HH:MM` (`24:00` allowed as an end), nil when malformed.
    static func minuteOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) }), (0...59).contains(m), (0...23).contains(h) || (h == 24 && m == 0)
        else { return nil }
        return h * 60 + m
    }

    /// Minutes east of UTC of `+HH:MM` / `-HH:MM` (within -12:00...+14:00), nil when malformed.
    static func utcOffsetMinutes(_ text: String) -> Int? {
        guard let sign = text.first, sign == "+" || sign == "-", let minutes = minuteOfDay(String(text.dropFirst())) else { return nil }
        let value = sign == "-" ? -minutes : minutes
        return (-12 * 60...14 * 60).contains(value) ? value : nil
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

    package var description: String { "AccountConfiguration(name: \(name), accessKeyId: \(accessKeyId), secret: ***)" }
}

extension Regions {
    /// Known regions, or anything that looks like a region code (lowercase letters and digits).
    static func isPlausible(_ region: String) -> Bool {
        !region.isEmpty && region.count <= 16 && region.allSatisfy { ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "-" }
    }
}
