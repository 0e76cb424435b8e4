import Foundation
import TPGWCore
import TPGWHTTPClient

/// Typed client for Tencent's VPC traffic-package actions (`2017-03-12`), `POST /` with a JSON body.
///
/// Reads are signed anew on every attempt (`X-TC-Timestamp` from `now`) and retried per `TencentRetryPolicy`;
/// creates are sent exactly once. Requests share the HTTP client's per-source in-flight limit.
/// ```swift
/// let tencent = TencentClient(httpClient: HTTPClient())
/// let endpoint = TencentEndpoint(account: "prod", region: "ap-guangzhou", credentials: creds)
/// let inventory = try await tencent.listPackages(endpoint)          // every page, settled
/// let bought = try await tencent.createPackages(endpoint, order: .init(gigabytes: 10, count: 2))
/// ```
/// Methods throw `TencentError` (or `CancellationError` from reads).
package final class TencentClient: Sendable {
    package static let apiVersion = "2017-03-12"
    /// Connections the shared HTTP client should allow to one host: every Tencent source (account x region) is
    /// read through one domain (the region is a header), so a per-host limit below the number of sources read at
    /// once would queue whole sources behind each other.
    package static let connectionsPerHost = 64

    package struct Configuration: Sendable {
        package var retry = TencentRetryPolicy()
        /// The per-source breaker of reads (the one mechanism BCE's client uses): opened by unavailability (after
        /// retries), it refuses reads with `circuitOpen` until its cool-down ends, then lets one probe through.
        package var breaker = CircuitBreaker.Configuration()
        /// `Limit` sent with every page (always explicit; Tencent's usual maximum is 100). Clamped to 1...100.
        package var pageLimit = 100
        /// Walks of the whole list before an unsettled list is a failed read. Default 3.
        package var maxWalks = 3
        /// Safety stop for one walk.
        package var maxPages = 10_000
        /// Per-request timeouts; nil uses the HTTP client's defaults (3 s connect, 15 s total).
        package var connectTimeout: Duration?
        package var totalTimeout: Duration?

        package init() {}
    }

    package let configuration: Configuration
    private let http: HTTPClient
    private let breakers: CircuitBreakers
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let sleep: @Sendable (Duration) async throws -> Void
    private let random: @Sendable () -> Double

    /// - Parameters:
    ///   - now: the clock used for `X-TC-Timestamp` and purchase attempt times (tests pass a manual one).
    ///   - sleep: waits between retries.
    ///   - random: jitter source in `0..<1`.
    package init(
        httpClient: HTTPClient, configuration: Configuration = .init(), logger: Logger = .disabled,
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.http = httpClient
        self.configuration = configuration
        breakers = CircuitBreakers(configuration: configuration.breaker)
        self.logger = logger
        self.now = now
        self.sleep = sleep
        self.random = random
    }

    private var limit: Int { min(100, max(1, configuration.pageLimit)) }

    // MARK: Reads

    /// One page of `DescribeTrafficPackages` at `offset` (retried per the policy).
    package func describePage(_ endpoint: TencentEndpoint, offset: Int, limit: Int? = nil, filter: TencentListFilter = .init()) async throws -> TencentListPage {
        let decoder = TencentWireDecoder(source: endpoint.source, operation: "describe")
        if let problem = filter.problem { throw decoder.failure(problem, kind: .client) }
        let body = filter.jsonBody(offset: offset, limit: min(100, max(1, limit ?? self.limit)))
        return try await read(endpoint, action: "DescribeTrafficPackages", body: body) { b throws(TencentError) in try decoder.listPage(b) }
    }

    /// Every package of the account in `endpoint.region`, by `Offset`/`Limit` paging.
    ///
    /// Offset paging is no snapshot: a package bought, refunded or deleted during a walk shifts the later pages. So
    /// packages are de-duplicated by id, and a walk counts only when `TotalCount` stayed the same on every page and
    /// the distinct packages received add up to it; otherwise the list is walked again, at most `maxWalks` times,
    /// after which the read fails (`.unsettled`): never a partial inventory.
    package func listPackages(_ endpoint: TencentEndpoint, filter: TencentListFilter = .init()) async throws -> TencentInventory {
        let decoder = TencentWireDecoder(source: endpoint.source, operation: "describe")
        var lastReason = ""
        var pagesTotal = 0
        for walk in 1...max(1, configuration.maxWalks) {
            var offset = 0
            var total: Int? = nil
            var seen: Set<String> = []
            var packages: [TencentPackage] = []
            var skipped: [TencentSkippedPackage] = []
            var unnamedSkips = 0
            var settled = true
            for page in 1... {
                let p = try await describePage(endpoint, offset: offset, filter: filter)
                pagesTotal += 1
                if let total, p.totalCount != total {
                    lastReason = "TotalCount changed from \(total) to \(p.totalCount) during walk \(walk)"
                    settled = false
                    break
                }
                total = p.totalCount
                for pkg in p.packages where seen.insert(pkg.id).inserted { packages.append(pkg) }
                for s in p.skipped {
                    if let id = s.id {
                        if seen.insert(id).inserted { skipped.append(s) }
                    } else {
                        unnamedSkips += 1
                        skipped.append(s)
                    }
                }
                offset += p.received
                if p.received == 0 || offset >= p.totalCount { break }
                guard page < configuration.maxPages else { throw decoder.failure("more than \(configuration.maxPages) pages") }
            }
            guard settled else { continue }
            let distinct = seen.count + unnamedSkips
            if distinct != total ?? 0 {
                lastReason = "walk \(walk) received \(distinct) distinct packages for TotalCount \(total ?? 0)"
                continue
            }
            return TencentInventory(packages: packages, skipped: skipped, totalCount: total ?? 0, walks: walk, pages: pagesTotal)
        }
        throw TencentError(
            kind: .unsettled, source: endpoint.source, operation: "describe",
            message: "the list did not settle after \(max(1, configuration.maxWalks)) walks: \(lastReason)")
    }

    // MARK: Purchase

    /// Buys `order.count` packages with one `CreateTrafficPackages` request, sent exactly once and never retried:
    /// the action has no idempotency token, so a retry could buy twice.
    ///
    /// An answer that leaves the outcome unknown (timeout, dropped connection, non-200, a body that is not JSON,
    /// `InternalError`/`InternalServerError`/`ServiceUnavailable`, cancellation after sending) throws `.ambiguous`
    /// with `attemptedAt` and the order: list the region for packages it `couldHaveBought` before trying again.
    /// Refusals (`RequestLimitExceeded`, balance, quota, parameters, auth) throw `.service`: nothing was bought.
    package func createPackages(_ endpoint: TencentEndpoint, order: TencentPurchaseOrder) async throws(TencentError) -> TencentPurchase {
        let source = endpoint.source
        if let problem = order.problem {
            throw TencentError(kind: .client, source: source, operation: "create", message: problem, order: order)
        }
        if Task.isCancelled {
            throw TencentError(kind: .client, source: source, operation: "create", message: "cancelled before sending", order: order)
        }
        let attemptedAt = now()
        func ambiguous(_ why: TencentError) -> TencentError {
            var e = why
            e.kind = .ambiguous
            e.attemptedAt = attemptedAt
            e.order = order
            e.message = "outcome unknown (\(why.kind.rawValue)\(why.code.map { " \($0)" } ?? "")): \(why.message)"
            return e
        }
        let response: HTTPClientResponse
        do {
            // A fresh connection: libcurl re-sends a request whose reused connection died unanswered, which would buy twice.
            response = try await send(endpoint, action: "CreateTrafficPackages", body: order.jsonBody, timestamp: attemptedAt, freshConnection: true)
        } catch let e as HTTPClientError {
            let error = TencentError(e, source: source, operation: "create")
            switch e.kind {
            // Nothing reached the API: no connection, or the request could not be built.
            case .connect, .invalidRequest, .forbiddenAddress: throw error
            case .timeout, .transport, .responseTooLarge, .shutdown: throw ambiguous(error)
            }
        } catch {
            throw ambiguous(TencentError(kind: .connection, source: source, operation: "create", message: "interrupted: \(error)"))
        }
        let decoder = TencentWireDecoder(source: source, operation: "create")
        guard response.status == 200 else {
            throw ambiguous(TencentError(
                kind: .httpStatus, source: source, operation: "create", message: "HTTP \(response.status)", httpStatus: response.status))
        }
        do {
            let (ids, requestID) = try decoder.createdIDs(response.body)
            return TencentPurchase(order: order, packageIDs: ids, requestID: requestID, attemptedAt: attemptedAt)
        } catch {
            switch error.kind {
            case .service where error.errorClass != .transient:
                var e = error
                e.attemptedAt = attemptedAt
                e.order = order
                throw e
            default:
                throw ambiguous(error)
            }
        }
    }

    /// Tencent has no price API for traffic packages: always throws `.unsupported` (prices come from the price page).
    package func quote(_ endpoint: TencentEndpoint, order: TencentPurchaseOrder) throws(TencentError) -> Decimal {
        throw TencentError(
            kind: .unsupported, source: endpoint.source, operation: "quote",
            message: "Tencent Cloud offers no price API for traffic packages; see the product's price page")
    }

    // MARK: Transport

    /// One logical read: attempts (each signed with a fresh timestamp) until success or the policy says stop.
    /// The read breaker's state for `source` (the source's status shows `open`).
    package func breakerState(_ source: SourceID) -> CircuitBreaker.State { breakers.state(source) }

    /// One logical read through the source's breaker: refused while it is open; its outcome (after retries) recorded.
    private func read<T>(_ endpoint: TencentEndpoint, action: String, body: [UInt8], decode: ([UInt8]) throws(TencentError) -> T) async throws -> T {
        let source = endpoint.source
        if let until = breakers.admit(source, now: now()) {
            throw TencentError(kind: .circuitOpen, source: source, operation: "describe", message: "circuit open until \(RFC3339.format(until))")
        }
        do {
            let value = try await attempts(endpoint, action: action, body: body, decode: decode)
            breakers.record(source, unavailable: false, now: now())
            return value
        } catch let error as TencentError {
            breakers.record(source, unavailable: error.isUnavailability, now: now())
            throw error
        } catch {
            breakers.abandon(source, now: now())
            throw error
        }
    }

    /// The attempts of one read, retried per the policy.
    private func attempts<T>(_ endpoint: TencentEndpoint, action: String, body: [UInt8], decode: ([UInt8]) throws(TencentError) -> T) async throws -> T {
        var backoffRetries = 0
        var expiredRetried = false
        while true {
            let outcome: Result<T, TencentError>
            do {
                let response = try await send(endpoint, action: action, body: body, timestamp: now())
                if response.status != 200 {
                    outcome = .failure(TencentError(
                        kind: .httpStatus, source: endpoint.source, operation: "describe", message: "HTTP \(response.status)",
                        httpStatus: response.status))
                } else {
                    outcome = Result { () throws(TencentError) -> T in try decode(response.body) }
                }
            } catch let e as HTTPClientError {
                outcome = .failure(TencentError(e, source: endpoint.source, operation: "describe"))
            }
            switch outcome {
            case .success(let value):
                return value
            case .failure(let error):
                switch configuration.retry.decide(error, backoffRetries: backoffRetries, expiredRetried: expiredRetried, random: random()) {
                case .fail:
                    throw error
                case .retry(let delay):
                    if error.errorClass == .signatureExpired { expiredRetried = true } else { backoffRetries += 1 }
                    logger.debug("Tencent attempt failed, retrying", metadata: [
                        "tencent.source": "\(endpoint.source)", "tencent.action": action,
                        "tencent.error": error.code ?? error.kind.rawValue, "tencent.retry_in": "\(delay)",
                    ])
                    try await sleep(delay)
                }
            }
        }
    }

    /// One signed HTTP exchange; returns whatever status came back, throws `HTTPClientError` when none did.
    private func send(
        _ endpoint: TencentEndpoint, action: String, body: [UInt8], timestamp: Date, freshConnection: Bool = false
    ) async throws -> HTTPClientResponse {
        let contentType = "application/json"
        let host = endpoint.hostHeader
        let ts = Int64(timestamp.timeIntervalSince1970.rounded(.down))
        let signer = TC3Signer(credentials: endpoint.credentials)
        let authorization = signer.authorization(method: "POST", host: host, contentType: contentType, query: "", body: body, timestamp: ts)
        var headers: [(name: String, value: String)] = [
            ("Host", host), ("Content-Type", contentType), ("X-TC-Action", action), ("X-TC-Version", Self.apiVersion),
            ("X-TC-Timestamp", String(ts)), ("X-TC-Region", endpoint.region), ("Authorization", authorization),
        ]
        if let token = endpoint.credentials.token { headers.append(("X-TC-Token", token)) }
        var request = HTTPClientRequest(
            method: "POST", url: endpoint.url, headers: headers, body: body, connectTimeout: configuration.connectTimeout,
            totalTimeout: configuration.totalTimeout, concurrencyKey: endpoint.source.description)
        request.freshConnection = freshConnection
        return try await http.execute(request)
    }
}
