import Foundation
import TPGWBCE
import TPGWCore
import TPGWCrypto

/// The simulated BCE EIP shared-traffic-package service for a set of regions: pure state, real time passed in.
///
/// It behaves as Baidu documents the service, not as our client expects: every request's signature is
/// verified from its own `signedHeaders` (empty = the default set the SDKs use), the list marker is
/// inclusive, `clientToken` makes create idempotent, usage grows with simulated time (off-peak packages
/// only 00:00-08:00 UTC+8), packages reach `USED_UP`/`EXPIRED` and vanish 7 days after expiry.
struct Simulator: Sendable {
    struct Configuration: Sendable {
        var regions: [String]
        var accessKeyID: String
        var secretAccessKey: String
        var packagesPerRegion: Int = 20
        var seed: UInt64 = 1
        /// Largest page the list returns whatever `maxKeys` asks (BCE: 1000).
        var maxKeysCap: Int = 1000
        var capacityAsStrings = false
        /// Simulated seconds per real second.
        var timeScale: Double = 1
        /// A calm fleet for demos (`bce-sim --demo`): every package used at a sustainable pace, except one package in
        /// each of the first three regions that is nearly used up and runs out within a few simulated days; and the
        /// second region answers 503 for 8 simulated hours every 2 simulated days (`demoOutage`).
        var demo = false
    }

    struct Region: Sendable {
        var packages: [String: SimPackage] = [:]
        /// Package ids in ascending order (the list order).
        var order: [String] = []
        var tokens: [String: (fingerprint: String, id: String)] = [:]
        var fault = SimFault()
        /// Package objects appended verbatim to the last page of every list (`POST /__sim/inject`): a way to
        /// serve what the real service might send and tpgw cannot represent (an unknown status, a bad number...).
        var injected: [String] = []
        var rng: SimRandom
        var requestCount = 0
        /// Authenticated create requests received (idempotent replays and after-commit faults included): what a
        /// test counts to prove one purchase sent one create.
        var createRequests = 0
    }

    let configuration: Configuration
    private(set) var clock: SimClock
    private(set) var regions: [String: Region] = [:]
    private var lastSettled: Date
    private var requestCounter: UInt64 = 0

    init(configuration: Configuration, realNow: Date) {
        self.configuration = configuration
        self.clock = SimClock(start: realNow, realStart: realNow, timeScale: configuration.timeScale)
        self.lastSettled = realNow
        for (n, region) in configuration.regions.enumerated() {
            var r = Region(rng: SimRandom(seed: configuration.seed &* 1_000_003 &+ UInt64(n) &+ 1))
            var attempts = 0
            while r.order.count < configuration.packagesPerRegion && attempts < configuration.packagesPerRegion * 4 {
                Self.addGenerated(to: &r, now: realNow, calm: configuration.demo)
                attempts += 1
            }
            if configuration.demo && n < 3 { Self.makeHot(in: &r, now: realNow, runsOutInHours: 36 + 24 * Double(n)) }
            regions[region] = r
        }
    }

    // MARK: Time

    func simulatedNow(real: Date) -> Date { clock.now(real: real) }

    /// Moves simulated time forward by `seconds`.
    mutating func advance(seconds: TimeInterval, real: Date) {
        settle(real: real)
        clock.advanced += max(0, seconds)
        settle(real: real)
    }

    /// Applies usage up to the current simulated time and drops packages 7 days past expiry.
    mutating func settle(real: Date) {
        let to = clock.now(real: real)
        let from = lastSettled
        guard to > from else { return }
        for name in regions.keys {
            var r = regions[name]!
            for id in r.order {
                r.packages[id]!.consume(from: from, to: to)
                r.packages[id]!.cachedJSON = nil
            }
            let gone = r.order.filter { r.packages[$0]!.expireTime.addingTimeInterval(7 * 86_400) <= to }
            if !gone.isEmpty {
                for id in gone { r.packages[id] = nil }
                r.order.removeAll { r.packages[$0] == nil }
            }
            regions[name] = r
        }
        lastSettled = to
    }

    // MARK: Faults

    mutating func setFault(_ fault: SimFault, region: String) -> Bool {
        guard regions[region] != nil else { return false }
        regions[region]!.fault = fault
        return true
    }

    func fault(region: String) -> SimFault? { regions[region]?.fault }

    /// Replaces the package objects appended to `region`'s listings (empty clears them); false for an unknown region.
    mutating func inject(_ objects: [String], region: String) -> Bool {
        guard regions[region] != nil else { return false }
        regions[region]!.injected = objects
        return true
    }

    // MARK: Packages

    /// Adds a package with random but plausible fields, used somewhat, mostly still running. `calm`: used at 25-70%
    /// of the pace that would use it up exactly at expiry, so none runs out early.
    private static func addGenerated(to r: inout Region, now: Date, calm: Bool = false) {
        let months = [1, 1, 1, 6, 6, 12][Int(r.rng.next() % 6)]
        let caps = CapacityTable.validCapacities[months]!
        let capName = caps[Int(r.rng.next() % UInt64(min(caps.count, 5)))]
        let capacity = CapacityTable.bytes(of: capName)!
        let policy: PackagePolicy = r.rng.unit() < 0.3 ? .offPeak : .fullTime
        let validity = SimClock.addMonths(months, to: now).timeIntervalSince(now)
        let age = r.rng.unit() * validity * 1.05
        let active = now.addingTimeInterval(-age)
        let create = active.addingTimeInterval(-Double(r.rng.next() % 60))
        let expire = SimClock.addMonths(months, to: active)
        // Sized so that some packages run out before expiry and some are left over.
        let hours = (policy == .offPeak ? 8.0 / 24 : 1) * validity / 3600
        let rate = Double(capacity) / hours * (calm ? 0.25 + r.rng.unit() * 0.45 : 0.3 + r.rng.unit() * 1.0)
        var p = SimPackage(
            id: uniqueID(&r), policy: policy, packageType: "WebOutBytes", months: months, capacityName: capName, capacity: capacity,
            used: 0, ratePerHour: rate, createTime: create, activeTime: active, expireTime: expire)
        p.consume(from: active, to: now)
        if expire.addingTimeInterval(7 * 86_400) <= now { return }
        insert(p, into: &r)
    }

    /// Turns the region's first active full-time package into one that is about 90% used and runs out in
    /// `runsOutInHours` simulated hours.
    private static func makeHot(in r: inout Region, now: Date, runsOutInHours hours: Double) {
        guard let id = r.order.first(where: { r.packages[$0]!.policy == .fullTime && r.packages[$0]!.status(at: now) == .active }),
              var p = r.packages[id], p.expireTime.timeIntervalSince(now) > (hours + 24) * 3600 else { return }
        p.used = Double(p.capacity) * (0.89 + r.rng.unit() * 0.03)
        p.ratePerHour = (Double(p.capacity) - p.used) / hours
        r.packages[id] = p
    }

    /// With `demo`, the second region is down (503) from hour 6 to 14 of every 48 simulated hours since the start.
    func demoOutage(region: String, at t: Date) -> Bool {
        guard configuration.demo, configuration.regions.count > 1, region == configuration.regions[1] else { return false }
        let hour = t.timeIntervalSince(clock.start).truncatingRemainder(dividingBy: 48 * 3600) / 3600
        return hour >= 6 && hour < 14
    }

    private static func uniqueID(_ r: inout Region) -> String {
        while true {
            let id = r.rng.bcePackageID()
            if r.packages[id] == nil { return id }
        }
    }

    private static func insert(_ p: SimPackage, into r: inout Region) {
        r.packages[p.id] = p
        r.order.insert(p.id, at: lowerBound(r.order, p.id))
    }

    /// The index of the first id `>= id` in the ascending `ids` (binary search).
    static func lowerBound(_ ids: [String], _ id: String) -> Int {
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ids[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Number of packages currently listed in `region`.
    func packageCount(region: String) -> Int { regions[region]?.order.count ?? 0 }

    func package(region: String, id: String) -> SimPackage? { regions[region]?.packages[id] }

    // MARK: Requests

    private mutating func nextRequestID() -> String {
        requestCounter += 1
        let r = Crypto.randomHex(bytes: 4)
        return "sim-\(requestCounter)-\(r)"
    }

    /// Handles one API request to `region` at real time `realNow`.
    mutating func handle(_ request: SimRequest, region: String, realNow: Date) -> SimResponse {
        let requestID = nextRequestID()
        func error(_ status: Int, _ code: String, _ message: String) -> SimResponse {
            SimResponse(status: status, body: Self.errorBody(code, message, requestID), requestID: requestID)
        }
        guard regions[region] != nil else { return error(404, "OptInRequired", "region \(region) is not served") }
        regions[region]!.requestCount += 1

        if let failure = SimAuth.verify(
            request, accessKeyID: configuration.accessKeyID, secretAccessKey: configuration.secretAccessKey, now: realNow)
        {
            return error(failure.status, failure.code, failure.message)
        }
        settle(real: realNow)
        let t = clock.now(real: realNow)

        // Route.
        let path = PercentCoding.decode(Substring(request.path))
        let operation: String
        let id: String?
        switch (request.method, path) {
        case ("GET", "/v1/eiptp"): operation = "list"; id = nil
        case ("POST", "/v1/eiptp"): operation = "create"; id = nil
        case ("POST", "/v1/eiptp/price"): operation = "price"; id = nil
        case ("GET", _) where path.hasPrefix("/v1/eiptp/") && path.count > "/v1/eiptp/".count:
            operation = "get"; id = String(path.dropFirst("/v1/eiptp/".count))
        default:
            return error(404, "InvalidURI", "no such operation: \(request.method) \(path)")
        }

        if demoOutage(region: region, at: t) {
            return error(503, "ServiceUnavailable", "the service is temporarily unavailable (bce-sim --demo outage)")
        }
        if operation == "create" { regions[region]!.createRequests += 1 }

        // Faults.
        var fault = regions[region]!.fault
        let applies = fault.operations.map { $0.contains(operation) } ?? true
        var delay = applies ? fault.latencyMs : 0
        var injected: SimResponse? = nil
        var injectAfterCommit = false
        if applies && fault.failsRequests && (fault.times ?? 1) > 0 {
            var pageMatches = true
            if let page = fault.failPage {
                pageMatches = operation == "list" && listPageNumber(request, region: region) == page
            }
            var fire = pageMatches
            if fire && fault.errorRate > 0 && fault.errorRate < 1 && !(fault.hang || fault.closeConnection || fault.malformedJSON) {
                fire = regions[region]!.rng.unit() < fault.errorRate
            }
            if fire {
                if let n = fault.times { fault.times = n - 1 }
                regions[region]!.fault = fault
                if fault.hang {
                    injected = SimResponse(status: 0, body: "", requestID: requestID, action: .hang)
                } else if fault.closeConnection {
                    injected = SimResponse(status: 0, body: "", requestID: requestID, action: .close)
                } else if fault.malformedJSON {
                    injected = SimResponse(status: 200, body: "{\"packageList\":[{\"id\":\"tp-", requestID: requestID)
                } else {
                    injected = error(fault.errorStatus, fault.errorCode, "injected fault")
                }
                injectAfterCommit = fault.afterCommit && operation == "create"
            }
        }
        if let injected, !injectAfterCommit {
            var r = injected
            r.delayMs = delay
            return r
        }

        var response: SimResponse
        switch operation {
        case "list": response = list(request, region: region, at: t, requestID: requestID)
        case "get": response = get(id!, region: region, at: t, requestID: requestID)
        case "create": response = create(request, region: region, at: t, requestID: requestID)
        default: response = price(request, requestID: requestID)
        }
        if let injected, injectAfterCommit {
            response = injected
        }
        if delay < 0 { delay = 0 }
        response.delayMs = delay
        return response
    }

    static func errorBody(_ code: String, _ message: String, _ requestID: String) -> String {
        "{\"code\":\(JSONString.quote(code)),\"message\":\(JSONString.quote(message)),\"requestId\":\(JSONString.quote(requestID))}"
    }

    private struct ListQuery {
        var marker: String?
        var maxKeys: Int
        var ids: [String]
    }

    private func listQuery(_ request: SimRequest, region: String, at t: Date) -> Result<ListQuery, SimAuth.Failure> {
        let r = regions[region]!
        var maxKeys = 1000
        if let s = request.query("maxKeys"), !s.isEmpty {
            guard let n = Int(s), (1...1000).contains(n) else {
                return .failure(.init(status: 400, code: "InvalidHTTPRequest", message: "maxKeys must be 1 to 1000"))
            }
            maxKeys = n
        }
        maxKeys = min(maxKeys, configuration.maxKeysCap)
        let idFilter = request.query("id").flatMap { $0.isEmpty ? nil : $0 }
        let policyFilter = request.query("deductPolicy").flatMap { $0.isEmpty ? nil : $0 }
        let statusFilter = request.query("status").flatMap { $0.isEmpty ? nil : $0 }
        // The unfiltered list (every poll) is the order itself: no per-package lookups.
        let ids = idFilter == nil && policyFilter == nil && statusFilter == nil ? r.order : r.order.filter { id in
            let p = r.packages[id]!
            if let idFilter, id != idFilter { return false }
            if let policyFilter, p.policy.bceName != policyFilter { return false }
            if let statusFilter, p.status(at: t).bceName != statusFilter { return false }
            return true
        }
        let marker = request.query("marker").flatMap { $0.isEmpty ? nil : $0 }
        return .success(ListQuery(marker: marker, maxKeys: maxKeys, ids: ids))
    }

    /// Which page (1-based) a list request asks for, judged by where its marker sits.
    private func listPageNumber(_ request: SimRequest, region: String) -> Int {
        guard case .success(let q) = listQuery(request, region: region, at: lastSettled), let marker = q.marker else { return 1 }
        let index = Self.lowerBound(q.ids, marker)
        return index / max(1, q.maxKeys) + 1
    }

    private mutating func list(_ request: SimRequest, region: String, at t: Date, requestID: String) -> SimResponse {
        let q: ListQuery
        switch listQuery(request, region: region, at: t) {
        case .success(let v): q = v
        case .failure(let f): return SimResponse(status: f.status, body: Self.errorBody(f.code, f.message, requestID), requestID: requestID)
        }
        let start = q.marker.map { Self.lowerBound(q.ids, $0) } ?? 0
        let end = min(q.ids.count, start + q.maxKeys)
        let truncated = end < q.ids.count
        var head = "{\"marker\":\(JSONString.quote(q.marker ?? "")),\"maxKeys\":\(q.maxKeys),\"isTruncated\":\(truncated),"
        if truncated { head += "\"nextMarker\":\(JSONString.quote(q.ids[end])),"}
        head += "\"packageList\":["
        // Cached package objects are handed out as they are; the server joins them outside the lock.
        var parts = [head]
        parts.reserveCapacity(2 * (end - start) + 2)
        for (n, id) in q.ids[start..<end].enumerated() {
            if n > 0 { parts.append(",") }
            if let cached = regions[region]!.packages[id]!.cachedJSON {
                parts.append(cached)
            } else {
                let json = regions[region]!.packages[id]!.json(at: t, capacityAsStrings: configuration.capacityAsStrings)
                regions[region]!.packages[id]!.cachedJSON = json
                parts.append(json)
            }
        }
        if !truncated {
            for (n, raw) in regions[region]!.injected.enumerated() {
                if n > 0 || end > start { parts.append(",") }
                parts.append(raw)
            }
        }
        parts.append("]}")
        return SimResponse(status: 200, bodyParts: parts, requestID: requestID)
    }

    private func get(_ id: String, region: String, at t: Date, requestID: String) -> SimResponse {
        guard let p = regions[region]!.packages[id] else {
            return SimResponse(status: 404, body: Self.errorBody("NoSuchObject", "The specified object is not found or resource do not exist.", requestID), requestID: requestID)
        }
        return SimResponse(status: 200, body: p.json(at: t, capacityAsStrings: configuration.capacityAsStrings), requestID: requestID)
    }

    private struct Order {
        var months: Int
        var capacity: String
        var policy: PackagePolicy
        var packageType: String
        var fingerprint: String { "\(months)|\(capacity)|\(policy.bceName)|\(packageType)" }
    }

    /// Reads a create request's body with the gateway's own BCE body reader (`BCEWireDecoder.members`: one reader of
    /// BCE bodies, both ways).
    private func parseOrder(_ body: [UInt8]) -> Result<Order, SimAuth.Failure> {
        let reader = BCEWireDecoder(source: SourceID(account: "bce-sim", region: "sim"), operation: "create")
        let isObject = body.first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) } == UInt8(ascii: "{")
        guard isObject, let doc = try? reader.members(body, ["reservationLength", "capacity", "deductPolicy", "packageType"]) else {
            return .failure(.init(status: 400, code: "MalformedJSON", message: "The JSON you provided was not well-formed."))
        }
        func bad(_ m: String) -> Result<Order, SimAuth.Failure> { .failure(.init(status: 400, code: "InappropriateJSON", message: m)) }
        guard case .number(let monthsText)? = doc["reservationLength"], let months = Int(monthsText) else { return bad("reservationLength is required") }
        guard case .string(let capacity)? = doc["capacity"] else { return bad("capacity is required") }
        guard CapacityTable.isValid(months: months, capacity: capacity) else { return bad("capacity \(capacity) is not sold for \(months) months") }
        var policy = PackagePolicy.fullTime
        switch doc["deductPolicy"] {
        case nil, .other(typeName: "null")?: break
        case .string(let s)?:
            let p = PackagePolicy(bceName: s)
            guard p != .unknown else { return bad("deductPolicy \(s) is invalid") }
            policy = p
        default: return bad("deductPolicy must be a string")
        }
        var type = "WebOutBytes"
        switch doc["packageType"] {
        case nil, .other(typeName: "null")?: break
        case .string(let s)?:
            guard s == "WebOutBytes" else { return bad("packageType \(s) is invalid") }
            type = s
        default: return bad("packageType must be a string")
        }
        return .success(Order(months: months, capacity: capacity, policy: policy, packageType: type))
    }

    private func validToken(_ token: String?) -> Bool {
        guard let token else { return true }
        return !token.isEmpty && token.utf8.count <= 64 && token.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    private mutating func create(_ request: SimRequest, region: String, at t: Date, requestID: String) -> SimResponse {
        func fail(_ f: SimAuth.Failure) -> SimResponse { SimResponse(status: f.status, body: Self.errorBody(f.code, f.message, requestID), requestID: requestID) }
        let order: Order
        switch parseOrder(request.body) {
        case .success(let o): order = o
        case .failure(let f): return fail(f)
        }
        let token = request.query("clientToken")
        guard validToken(token) else { return fail(.init(status: 400, code: "InvalidHTTPRequest", message: "clientToken must be 1-64 ASCII characters")) }
        if let token, let known = regions[region]!.tokens[token] {
            guard known.fingerprint == order.fingerprint else {
                return fail(.init(status: 403, code: "IdempotentParameterMismatch", message: "The request uses the same client token as a previous, but non-identical request."))
            }
            return SimResponse(status: 200, body: "{\"id\":\(JSONString.quote(known.id))}", requestID: requestID)
        }
        var r = regions[region]!
        let capacity = CapacityTable.bytes(of: order.capacity)!
        let expire = SimClock.addMonths(order.months, to: t)
        let hours = (order.policy == .offPeak ? 8.0 / 24 : 1) * expire.timeIntervalSince(t) / 3600
        let p = SimPackage(
            id: Self.uniqueID(&r), policy: order.policy, packageType: order.packageType, months: order.months, capacityName: order.capacity,
            capacity: capacity, used: 0, ratePerHour: Double(capacity) / hours * (0.3 + r.rng.unit()), createTime: t, activeTime: t,
            expireTime: expire)
        Self.insert(p, into: &r)
        if let token { r.tokens[token] = (order.fingerprint, p.id) }
        regions[region] = r
        return SimResponse(status: 200, body: "{\"id\":\(JSONString.quote(p.id))}", requestID: requestID)
    }

    /// CNY per GiB by validity; off-peak packages cost half.
    static func price(months: Int, capacity: String, policy: PackagePolicy) -> String {
        let perGiB: [Int: Double] = [1: 0.72, 6: 0.65, 12: 0.55]
        let gib = Double(CapacityTable.bytes(of: capacity) ?? 0) / Double(1 << 30)
        let value = gib * (perGiB[months] ?? 0.72) * (policy == .offPeak ? 0.5 : 1)
        return String(format: "%.5f", value)
    }

    private func price(_ request: SimRequest, requestID: String) -> SimResponse {
        switch parseOrder(request.body) {
        case .success(let o):
            let text = Self.price(months: o.months, capacity: o.capacity, policy: o.policy)
            return SimResponse(status: 200, body: "{\"price\":\"\(text)\"}", requestID: requestID)
        case .failure(let f):
            return SimResponse(status: f.status, body: Self.errorBody(f.code, f.message, requestID), requestID: requestID)
        }
    }
}
