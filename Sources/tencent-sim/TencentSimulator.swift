import Foundation
import TPGWCore
import TPGWTencent

/// The simulated Tencent VPC traffic-package API (`2017-03-12`) for a set of regions: pure state, real time
/// passed in.
///
/// It behaves as Tencent documents the service, not as our client expects: every request is `POST /` (JSON) or
/// `GET /` (flattened query) with `X-TC-Action`/`X-TC-Version`/`X-TC-Region`, verified from its own TC3 signature;
/// every answer, error or not, is HTTP 200 with `{"Response": …}`; the list is newest first with `Offset`/`Limit`
/// (default 20, at most 100, cut to `limitCap`); creates have no idempotency token.
package struct TencentSimulator: Sendable {
    struct Configuration: Sendable {
        var regions: [String]
        var secretID: String
        var secretKey: String
        var packagesPerRegion: Int = 20
        var seed: UInt64 = 1
        /// Largest page returned whatever `Limit` asks (≤ 100).
        var limitCap: Int = 100
        /// Packages a region may hold before `LimitExceeded.TrafficPackageQuota`.
        var quota: Int = 5000
        /// Simulated seconds per real second: usage grows and packages run out or expire as simulated time moves
        /// (0 freezes it between `advance` calls, for tests).
        var timeScale: Double = 0
        /// Hours off-peak (`IDLE_TIME`) packages are drawn in; Tencent documents none, tpgw's default is assumed.
        var offPeak: OffPeakWindow = .bce
    }

    struct Region: Sendable {
        var packages: [String: TencentSimPackage] = [:]
        /// Ids newest first (the list order).
        var order: [String] = []
        var fault = TencentSimFault()
        var requestCount = 0
        /// Every `X-TC-Timestamp` + signature seen (tests check each attempt was signed anew).
        var authorizations: [String] = []
        var actions: [String] = []
    }

    static let version = "2017-03-12"
    static let actions: Set<String> = ["DescribeTrafficPackages", "CreateTrafficPackages", "DeleteTrafficPackages"]

    let configuration: Configuration
    private(set) var regions: [String: Region] = [:]
    private var rng: TencentSimRandom
    /// Simulated time: `start + (real - start) * timeScale + advanced`.
    private let start: Date
    private(set) var advanced: TimeInterval = 0
    /// Simulated time usage was last moved to.
    private var movedTo: Date

    init(configuration: Configuration, realNow: Date) {
        self.configuration = configuration
        self.rng = TencentSimRandom(seed: configuration.seed)
        self.start = realNow
        self.movedTo = realNow
        for (n, region) in configuration.regions.enumerated() {
            var r = Region()
            var g = TencentSimRandom(seed: configuration.seed &* 1_000_003 &+ UInt64(n) &+ 1)
            for i in 0..<configuration.packagesPerRegion {
                let p = Self.generated(index: i, region: region, now: realNow, rng: &g, taken: r.packages)
                r.packages[p.id] = p
                r.order.append(p.id)
            }
            r.order.sort { Self.newerFirst(r.packages[$0]!, r.packages[$1]!) }
            regions[region] = r
        }
    }

    static func newerFirst(_ a: TencentSimPackage, _ b: TencentSimPackage) -> Bool {
        a.createdTime != b.createdTime ? a.createdTime > b.createdTime : a.id < b.id
    }

    /// A plausible package: mostly `AVAILABLE`, some `EXPIRED`/`EXHAUSTED`, one `REFUNDED` and one `DELETED`.
    private static func generated(index i: Int, region: String, now: Date, rng: inout TencentSimRandom, taken: [String: TencentSimPackage]) -> TencentSimPackage {
        var id = rng.tencentPackageID()
        while taken[id] != nil { id = rng.tencentPackageID() }
        let months = rng.unit() < 0.6 ? 1 : 6
        let sizes = TencentCapacityTable.sizes[months]!
        let size = Double(sizes[Int(rng.next() % UInt64(min(4, sizes.count)))])
        let validity = TencentSimPackage.deadline(created: now, months: months).timeIntervalSince(now)
        var status = "AVAILABLE"
        switch i % 10 {
        case 3 where i < 10: status = "REFUNDED"
        case 5 where i < 10: status = "DELETED"
        case 7: status = "EXPIRED"
        case 8: status = "EXHAUSTED"
        default: break
        }
        let created: Date
        switch status {
        case "EXPIRED": created = now.addingTimeInterval(-validity - 86_400 * (1 + rng.unit() * 20))
        default: created = now.addingTimeInterval(-validity * rng.unit() * 0.95 - 60)
        }
        var used = (size * rng.unit() * 10_000).rounded() / 10_000
        if status == "EXHAUSTED" { used = size }
        let idle = rng.unit() < 0.3
        // A rate that uses up 40-160 % of what is left by the deadline (drawn only in the window for IDLE_TIME).
        let deadline = TencentSimPackage.deadline(created: Date(timeIntervalSince1970: created.timeIntervalSince1970.rounded(.down)), months: months)
        let hoursLeft = max(1, deadline.timeIntervalSince(now) / 3600 * (idle ? 8.0 / 24 : 1))
        let burn = status == "AVAILABLE" ? (size - used) / hoursLeft * (0.4 + 1.2 * rng.unit()) : 0
        return TencentSimPackage(
            id: id, name: i % 3 == 0 ? "未命名" : "tp-\(region)-\(i)", totalGB: size, usedGB: used, status: status,
            deductType: idle ? "IDLE_TIME" : "FULL_TIME", createdTime: Date(timeIntervalSince1970: created.timeIntervalSince1970.rounded(.down)),
            deadline: TencentSimPackage.deadline(created: Date(timeIntervalSince1970: created.timeIntervalSince1970.rounded(.down)), months: months),
            tags: i % 4 == 0 ? [("env", "prod")] : [], burnGBPerHour: burn)
    }

    // MARK: Time

    /// Simulated time at real time `real`.
    func now(real: Date) -> Date {
        start.addingTimeInterval(real.timeIntervalSince(start) * configuration.timeScale + advanced)
    }

    /// Moves simulated time forward by `seconds` (tests, `POST /__sim/advance`), drawing usage on the way.
    mutating func advance(seconds: TimeInterval, real: Date) {
        advanced += max(0, seconds)
        move(to: now(real: real))
    }

    /// Draws usage from `movedTo` to `t` and ends packages that ran out or expired. O(packages) only when time moved.
    mutating func move(to t: Date) {
        guard t > movedTo else { return }
        let from = movedTo
        movedTo = t
        for name in regions.keys {
            for id in regions[name]!.order {
                var p = regions[name]!.packages[id]!
                guard p.status == "AVAILABLE" else { continue }
                let end = min(t, p.deadline)
                if p.burnGBPerHour > 0 && end > from {
                    let seconds = p.deductType == "IDLE_TIME" ? configuration.offPeak.windowSeconds(from: from, to: end) : end.timeIntervalSince(from)
                    p.usedGB = min(p.totalGB, ((p.usedGB + p.burnGBPerHour * seconds / 3600) * 10_000).rounded() / 10_000)
                }
                if p.usedGB >= p.totalGB {
                    p.status = "EXHAUSTED"
                } else if t > p.deadline {
                    p.status = "EXPIRED"
                }
                regions[name]!.packages[id] = p
            }
        }
    }

    // MARK: State

    /// Sets a package's status (tests: a refund, `REFUNDED`, happens in the console, not through the API).
    mutating func setStatus(_ status: String, id: String, region: String) {
        regions[region]?.packages[id]?.status = status
    }

    mutating func setFault(_ fault: TencentSimFault, region: String) -> Bool {
        guard regions[region] != nil else { return false }
        regions[region]!.fault = fault
        return true
    }

    func packageCount(region: String) -> Int { regions[region]?.order.count ?? 0 }

    /// Packages of `region` in list order.
    func packages(region: String) -> [TencentSimPackage] { regions[region].map { r in r.order.map { r.packages[$0]! } } ?? [] }

    /// Adds a package as a purchase would, newest first.
    @discardableResult
    mutating func buy(region: String, gigabytes: Int, deductType: String, at t: Date) -> String {
        var id = rng.tencentPackageID()
        while regions[region]!.packages[id] != nil { id = rng.tencentPackageID() }
        let created = Date(timeIntervalSince1970: t.timeIntervalSince1970.rounded(.down))
        let months = TencentCapacityTable.validityMonths(gigabytes: gigabytes) ?? 1
        let p = TencentSimPackage(
            id: id, name: "未命名", totalGB: Double(gigabytes), usedGB: 0, status: "AVAILABLE", deductType: deductType, createdTime: created,
            deadline: TencentSimPackage.deadline(created: created, months: months))
        regions[region]!.packages[id] = p
        regions[region]!.order.insert(id, at: 0)
        return id
    }

    // MARK: Requests

    static func errorBody(_ code: String, _ message: String, _ requestID: String) -> String {
        "{\"Response\":{\"Error\":{\"Code\":\(JSONString.quote(code)),\"Message\":\(JSONString.quote(message))},\"RequestId\":\(JSONString.quote(requestID))}}"
    }

    /// Handles one API request at real time `realNow` (usage first moves to the simulated time).
    package mutating func handle(_ request: TencentSimRequest, realNow: Date) -> TencentSimReply {
        if configuration.timeScale > 0 { move(to: now(real: realNow)) }
        let simNow = now(real: realNow)
        let requestID = rng.tencentRequestID()
        func error(_ code: String, _ message: String) -> TencentSimReply {
            TencentSimReply(status: 200, body: Self.errorBody(code, message, requestID))
        }
        guard request.path == "/" else { return TencentSimReply(status: 404, body: "<html>404 Not Found</html>", contentType: "text/html") }
        let params: TencentSimParams
        switch request.method {
        case "POST":
            guard let p = TencentSimParams(json: request.body) else { return error("InvalidParameter", "The request body is not a JSON object.") }
            params = p
        case "GET":
            params = TencentSimParams(query: request.rawQuery)
        default:
            return error("UnsupportedProtocol", "Only GET and POST are supported.")
        }
        guard let action = request.header("X-TC-Action"), !action.isEmpty else {
            return error("MissingParameter", "The request is missing a required parameter `X-TC-Action`.")
        }
        guard let version = request.header("X-TC-Version"), !version.isEmpty else {
            return error("MissingParameter", "The request is missing a required parameter `X-TC-Version`.")
        }
        guard version == Self.version else { return error("NoSuchVersion", "The requested version `\(version)` of service `vpc` does not exist.") }
        guard Self.actions.contains(action) else { return error("InvalidAction", "The requested action `\(action)` does not exist.") }
        // Counted (for tests and /__sim/state) before authentication, so refused attempts show too.
        let regionHeader = request.header("X-TC-Region") ?? ""
        if regions[regionHeader] != nil {
            regions[regionHeader]!.requestCount += 1
            regions[regionHeader]!.authorizations.append((request.header("X-TC-Timestamp") ?? "") + " " + (request.header("Authorization") ?? ""))
            regions[regionHeader]!.actions.append(action)
        }
        if let failure = TencentSimAuth.verify(request, secretID: configuration.secretID, secretKey: configuration.secretKey, now: realNow) {
            return error(failure.code, failure.message)
        }
        let region = regionHeader
        guard !region.isEmpty else { return error("MissingParameter", "The request is missing a required parameter `Region`.") }
        guard regions[region] != nil else { return error("UnsupportedRegion", "The action does not support the region `\(region)`.") }

        // Faults.
        var fault = regions[region]!.fault
        let applies = fault.actions.map { $0.contains(action) } ?? true
        let delay = applies ? max(0, fault.latencyMs) : 0
        var injected: TencentSimReply? = nil
        if applies && fault.failsRequests && (fault.times ?? 1) > 0 {
            var fire = true
            if fault.errorRate > 0 && fault.errorRate < 1 && !(fault.throttle || fault.hang || fault.closeConnection || fault.malformedJSON || fault.httpStatus != nil) {
                fire = rng.unit() < fault.errorRate
            }
            if fire {
                if let n = fault.times { fault.times = n - 1 }
                regions[region]!.fault = fault
                if fault.hang {
                    injected = TencentSimReply(status: 0, body: "", action: .hang)
                } else if fault.closeConnection {
                    injected = TencentSimReply(status: 0, body: "", action: .close)
                } else if let status = fault.httpStatus {
                    injected = TencentSimReply(status: status, body: "<html><body>\(status) Bad Gateway</body></html>", contentType: "text/html")
                } else if fault.malformedJSON {
                    injected = TencentSimReply(status: 200, body: "{\"Response\":{\"TotalCount\":3,\"TrafficPackageSet\":[{\"TrafficPackageId\":\"tfp-")
                } else if fault.throttle {
                    injected = error("RequestLimitExceeded", "Your current request times equals to `21` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls.")
                } else {
                    injected = error(fault.errorCode, "injected fault")
                }
            }
        }
        let afterCommit = injected != nil && fault.afterCommit && action == "CreateTrafficPackages"
        if var injected, !afterCommit {
            injected.delayMs = delay
            return injected
        }
        var reply: TencentSimReply
        switch action {
        case "DescribeTrafficPackages": reply = describe(params, region: region, at: simNow, requestID: requestID)
        case "CreateTrafficPackages": reply = create(params, region: region, at: simNow, requestID: requestID)
        default: reply = delete(params, region: region, requestID: requestID)
        }
        if afterCommit, let injected { reply = injected }
        reply.delayMs = delay
        return reply
    }

    private mutating func describe(_ p: TencentSimParams, region: String, at t: Date, requestID: String) -> TencentSimReply {
        func error(_ code: String, _ message: String) -> TencentSimReply { TencentSimReply(status: 200, body: Self.errorBody(code, message, requestID)) }
        if let unknown = p.topLevelNames.subtracting(["TrafficPackageIds", "Filters", "Offset", "Limit"]).sorted().first {
            return error("UnknownParameter", "The parameter `\(unknown)` is not recognized.")
        }
        let ids = p.list("TrafficPackageIds")
        let filters = p.filters
        if !ids.isEmpty && !filters.isEmpty {
            return error("InvalidParameter.Coexist", "The parameters `TrafficPackageIds` and `Filters` cannot be specified at the same time.")
        }
        if filters.count > 10 { return error("InvalidParameterValue.LimitExceeded", "At most 10 filters.") }
        for f in filters {
            switch f.name {
            case "traffic-package_id", "traffic-package-name": break
            case "status":
                if let bad = f.values.first(where: { !["AVAILABLE", "EXPIRED", "EXHAUSTED"].contains($0) }) {
                    return error("InvalidParameterValue", "The filter value `\(bad)` of `status` is invalid.")
                }
            default: return error("InvalidParameter.InvalidFilter", "The filter `\(f.name)` is invalid.")
            }
        }
        var offset = 0
        if let s = p.string("Offset") {
            guard let n = Int(s), n >= 0 else { return error("InvalidParameterValue.Range", "Offset `\(s)` is out of range.") }
            offset = n
        }
        var limit = 20
        if let s = p.string("Limit") {
            guard let n = Int(s), n >= 1 else { return error("InvalidParameterValue.Range", "Limit `\(s)` is out of range.") }
            guard n <= 100 else { return error("InvalidParameterValue.LimitExceeded", "Limit `\(n)` exceeds the maximum 100.") }
            limit = n
        }
        limit = min(limit, max(1, configuration.limitCap))

        // TotalCount moving mid-walk: a purchase lands before every page after the first.
        var fault = regions[region]!.fault
        if fault.totalCountDrift && offset > 0 && (fault.actions.map { $0.contains("DescribeTrafficPackages") } ?? true) && (fault.times ?? 1) > 0 {
            if let n = fault.times { fault.times = n - 1 }
            regions[region]!.fault = fault
            buy(region: region, gigabytes: 10, deductType: "FULL_TIME", at: t)
        }
        let r = regions[region]!
        var matching = r.order
        if !ids.isEmpty { matching = matching.filter { ids.contains($0) } }
        for f in filters {
            matching = matching.filter { id in
                let pkg = r.packages[id]!
                switch f.name {
                case "traffic-package_id": return f.values.contains(id)
                case "traffic-package-name": return f.values.contains(pkg.name)
                default: return f.values.contains(pkg.status)
                }
            }
        }
        let start = min(offset, matching.count)
        let end = min(matching.count, start + limit)
        let items = matching[start..<end].enumerated().map { n, id in r.packages[id]!.json(corruptTotal: n == 0 && fault.corruptAmount) }
        let body = "{\"Response\":{\"TotalCount\":\(matching.count),\"TrafficPackageSet\":[" + items.joined(separator: ",")
            + "],\"RequestId\":\(JSONString.quote(requestID))}}"
        return TencentSimReply(status: 200, body: body)
    }

    private mutating func create(_ p: TencentSimParams, region: String, at t: Date, requestID: String) -> TencentSimReply {
        func error(_ code: String, _ message: String) -> TencentSimReply { TencentSimReply(status: 200, body: Self.errorBody(code, message, requestID)) }
        if let unknown = p.topLevelNames.subtracting(["TrafficAmount", "TrafficPackageCount", "DeductType"]).sorted().first {
            return error("UnknownParameter", "The parameter `\(unknown)` is not recognized.")
        }
        guard let amountText = p.string("TrafficAmount") else { return error("MissingParameter", "The request is missing a required parameter `TrafficAmount`.") }
        guard let amount = Int(amountText), TencentCapacityTable.isSold(gigabytes: amount) else {
            return error("InvalidParameterValue", "The value `\(amountText)` of `TrafficAmount` is invalid.")
        }
        var count = 1
        if let s = p.string("TrafficPackageCount") {
            guard let n = Int(s), (1...20).contains(n) else { return error("InvalidParameterValue.Range", "TrafficPackageCount `\(s)` must be 1-20.") }
            count = n
        }
        let deduct = p.string("DeductType") ?? "FULL_TIME"
        guard deduct == "FULL_TIME" || deduct == "IDLE_TIME" else { return error("InvalidParameterValue", "The value `\(deduct)` of `DeductType` is invalid.") }
        guard packageCount(region: region) + count <= configuration.quota else {
            return error("LimitExceeded.TrafficPackageQuota", "The traffic package quota is exceeded.")
        }
        var ids: [String] = []
        for _ in 0..<count { ids.append(buy(region: region, gigabytes: amount, deductType: deduct, at: t)) }
        let body = "{\"Response\":{\"TrafficPackageSet\":[" + ids.map(JSONString.quote).joined(separator: ",")
            + "],\"RequestId\":\(JSONString.quote(requestID))}}"
        return TencentSimReply(status: 200, body: body)
    }

    private mutating func delete(_ p: TencentSimParams, region: String, requestID: String) -> TencentSimReply {
        func error(_ code: String, _ message: String) -> TencentSimReply { TencentSimReply(status: 200, body: Self.errorBody(code, message, requestID)) }
        let ids = p.list("TrafficPackageIds")
        guard !ids.isEmpty else { return error("MissingParameter", "The request is missing a required parameter `TrafficPackageIds`.") }
        for id in ids {
            guard let pkg = regions[region]!.packages[id] else { return error("InvalidParameterValue.TrafficPackageNotFound", "`\(id)` not found.") }
            if pkg.status == "AVAILABLE" { return error("UnsupportedOperation", "`\(id)` is still available.") }
        }
        for id in ids { regions[region]!.packages[id]!.status = "DELETED" }
        return TencentSimReply(status: 200, body: "{\"Response\":{\"RequestId\":\(JSONString.quote(requestID))}}")
    }
}
