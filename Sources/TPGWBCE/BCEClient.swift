import Foundation
import Synchronization
import TPGWCore
import TPGWCrypto
import TPGWHTTPClient

/// Typed client for BCE's EIP shared-traffic-package API (`/v1/eiptp`).
///
/// Every attempt is signed anew (`host;x-bce-date`), retried per `BCERetryPolicy`, and guarded by a
/// per-source `CircuitBreaker`. Requests share the HTTP client's per-source in-flight limit.
/// ```swift
/// let bce = BCEClient(httpClient: HTTPClient())
/// let endpoint = BCEEndpoint(account: "prod", region: "bj", credentials: creds, baseURL: "http://127.0.0.1:9101")
/// let packages = try await bce.listPackages(endpoint)          // every page
/// let readings = await bce.readAll([endpoint, other])         // fan-out, one result per source
/// ```
/// Methods throw `BCEError` (or `CancellationError`).
package final class BCEClient: Sendable {
    package struct Configuration: Sendable {
        package var retry = BCERetryPolicy()
        package var breaker = CircuitBreaker.Configuration()
        /// Page size asked of the list call (BCE allows 1...1000). Default 1000.
        package var maxKeys = 1000
        /// Signature validity in seconds. Default 1800 (as the SDKs).
        package var expiration = BCESigner.defaultExpiration
        /// Per-request timeouts; nil uses the HTTP client's defaults (3 s connect, 15 s total).
        package var connectTimeout: Duration?
        package var totalTimeout: Duration?
        /// A source's whole read in `readAll` (all pages and retries) is cut off after this. Default 60 s.
        package var sourceDeadline: Duration = .seconds(60)
        /// Safety stop for a list that never ends.
        package var maxPages = 10_000

        package init() {}
    }

    package let configuration: Configuration
    private let http: HTTPClient
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let sleep: @Sendable (Duration) async throws -> Void
    private let random: @Sendable () -> Double
    private let breakers: CircuitBreakers
    private let observer = Mutex<(@Sendable (BCEAttemptObservation) -> Void)?>(nil)

    /// - Parameters:
    ///   - now: the clock used for signing timestamps and the breaker (tests pass a manual one).
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

    // MARK: Operations

    /// One page of the list, starting at `marker` (inclusive).
    package func listPage(_ endpoint: BCEEndpoint, marker: String?, maxKeys: Int? = nil, filter: BCEListFilter = .init()) async throws -> BCEListPage {
        var query = filter.queryItems
        if let marker { query.append(("marker", marker)) }
        query.append(("maxKeys", String(maxKeys ?? configuration.maxKeys)))
        let decoder = BCEWireDecoder(source: endpoint.source, operation: "list")
        return try await call(endpoint, operation: "list", method: "GET", path: "/v1/eiptp", query: query, body: nil) { body throws(BCEError) in
            try decoder.listPage(body)
        }
    }

    /// Every package of the source, following `nextMarker` (inclusive) until `isTruncated` is false; packages
    /// tpgw cannot represent are left out (``listing(_:filter:)`` reports them).
    package func listPackages(_ endpoint: BCEEndpoint, filter: BCEListFilter = .init()) async throws -> [BCEPackage] {
        try await listing(endpoint, filter: filter).packages
    }

    /// Every package of the source, following `nextMarker` (inclusive) until `isTruncated` is false, and the
    /// packages skipped because tpgw cannot represent them.
    ///
    /// Pages are pipelined: a child task requests page after page, reading only each body's paging fields
    /// (`listPaging`) before asking for the next, while this task decodes the pages it has handed over. So
    /// requests never wait for decoding, nor for this task to be scheduled between pages.
    package func listing(_ endpoint: BCEEndpoint, filter: BCEListFilter = .init()) async throws -> BCEListing {
        let decoder = BCEWireDecoder(source: endpoint.source, operation: "list")
        let maxPages = configuration.maxPages
        let (bodies, delivery) = AsyncThrowingStream<RawListPage, any Error>.makeStream()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask(priority: .high) {
                do {
                    var marker: String? = nil
                    var seenMarkers: Set<String> = []
                    for page in 1... {
                        let raw = try await self.rawListPage(endpoint, marker: marker, filter: filter, decoder: decoder)
                        delivery.yield(raw)
                        guard let next = raw.nextMarker else { break }
                        guard page < maxPages else { throw decoder.failure("more than \(maxPages) pages") }
                        guard seenMarkers.insert(next).inserted else {
                            throw decoder.failure("nextMarker \(JSONString.quote(next)) repeats: the list does not advance")
                        }
                        marker = next
                    }
                    delivery.finish()
                } catch {
                    delivery.finish(throwing: error)
                }
            }
            var all = BCEListing(packages: [])
            for try await raw in bodies {
                let page: BCEListPage
                switch Result(catching: { () throws(BCEError) in try decoder.listPage(raw.body) }) {
                case .success(let p): page = p
                case .failure(let error):
                    record(endpoint.source, failure: error, at: now())
                    throw error
                }
                if page.nextMarker != raw.nextMarker {
                    let error = decoder.failure("the page's paging fields disagree with themselves (duplicate isTruncated or nextMarker?)")
                    record(endpoint.source, failure: error, at: now())
                    throw error
                }
                if raw.nextMarker != nil && page.packages.isEmpty && page.skipped.isEmpty {
                    throw decoder.failure("nextMarker \(JSONString.quote(raw.nextMarker!)) repeats: the list does not advance")
                }
                all.packages.append(contentsOf: page.packages)
                all.skipped.append(contentsOf: page.skipped)
            }
            // A cancelled task's stream just ends: it is not a complete list.
            try Task.checkCancellation()
            return all
        }
    }

    /// A list page's body whose paging fields have been read (the packages are decoded by the caller).
    private struct RawListPage: Sendable {
        var body: [UInt8]
        var nextMarker: String?
    }

    private func rawListPage(_ endpoint: BCEEndpoint, marker: String?, filter: BCEListFilter, decoder: BCEWireDecoder) async throws -> RawListPage {
        var query = filter.queryItems
        if let marker { query.append(("marker", marker)) }
        query.append(("maxKeys", String(configuration.maxKeys)))
        return try await call(endpoint, operation: "list", method: "GET", path: "/v1/eiptp", query: query, body: nil) { body throws(BCEError) in
            RawListPage(body: body, nextMarker: try decoder.listPaging(body).nextMarker)
        }
    }

    /// One package by id (`NoSuchObject` → a `.service` error with status 404).
    package func getPackage(_ endpoint: BCEEndpoint, id: String) async throws -> BCEPackage {
        let decoder = BCEWireDecoder(source: endpoint.source, operation: "get")
        return try await call(endpoint, operation: "get", method: "GET", path: "/v1/eiptp/" + id, query: [], body: nil) { body throws(BCEError) in
            try decoder.package(body)
        }
    }

    /// Buys a package and returns its id. The same `clientToken` is sent on every retry, so one call never buys two.
    package func createPackage(_ endpoint: BCEEndpoint, order: BCEPackageOrder, clientToken: String) async throws -> String {
        try Self.validate(clientToken: clientToken, endpoint: endpoint, operation: "create")
        let decoder = BCEWireDecoder(source: endpoint.source, operation: "create")
        return try await call(
            endpoint, operation: "create", method: "POST", path: "/v1/eiptp", query: [("clientToken", clientToken)], body: order.jsonBody
        ) { body throws(BCEError) in try decoder.createdID(body) }
    }

    /// The price of `order`, a decimal string in CNY (e.g. `7.20000`).
    package func quote(_ endpoint: BCEEndpoint, order: BCEPackageOrder, clientToken: String? = nil) async throws -> String {
        let token = clientToken ?? Self.makeClientToken()
        try Self.validate(clientToken: token, endpoint: endpoint, operation: "price")
        let decoder = BCEWireDecoder(source: endpoint.source, operation: "price")
        return try await call(
            endpoint, operation: "price", method: "POST", path: "/v1/eiptp/price", query: [("clientToken", token)], body: order.jsonBody
        ) { body throws(BCEError) in try decoder.price(body) }
    }

    /// Reads every source concurrently. Each source is bounded by its own timeouts and `sourceDeadline`;
    /// one slow or failing source never fails the others. Results come back in the order of `endpoints`.
    package func readAll(_ endpoints: [BCEEndpoint]) async -> [SourceReading<BCEPackage, BCEError>] {
        await withTaskGroup(of: (Int, SourceReading<BCEPackage, BCEError>).self) { group in
            for (n, endpoint) in endpoints.enumerated() {
                group.addTask { (n, await self.read(endpoint)) }
            }
            var out = [SourceReading<BCEPackage, BCEError>?](repeating: nil, count: endpoints.count)
            for await (n, r) in group { out[n] = r }
            return out.map { $0! }
        }
    }

    /// Reads one source for `readAll`.
    package func read(_ endpoint: BCEEndpoint) async -> SourceReading<BCEPackage, BCEError> {
        let start = ContinuousClock.now
        let deadline = configuration.sourceDeadline
        let result: Result<BCEListing, BCEError> = await withTaskGroup(of: Result<BCEListing, BCEError>?.self) { group in
            group.addTask {
                do {
                    return .success(try await self.listing(endpoint))
                } catch let e as BCEError {
                    return .failure(e)
                } catch {
                    return .failure(BCEError(kind: .timeout, source: endpoint.source, operation: "list", message: "cancelled"))
                }
            }
            group.addTask {
                try? await Task.sleep(for: deadline)
                return Task.isCancelled ? nil
                    : .failure(BCEError(kind: .timeout, source: endpoint.source, operation: "list", message: "source deadline of \(deadline) exceeded"))
            }
            var first: Result<BCEListing, BCEError>? = nil
            while first == nil, let r = await group.next() { first = r }
            group.cancelAll()
            return first!
        }
        return SourceReading(
            source: endpoint.source, result: result.map(\.packages), skipped: (try? result.get().skipped) ?? [], observedAt: now(),
            latency: ContinuousClock.now - start)
    }

    /// Installs a closure called after every HTTP exchange (each attempt, retries included), e.g. for
    /// metrics. It runs on the caller's task: keep it cheap and non-blocking. Replaces any earlier one.
    package func observe(_ handler: @escaping @Sendable (BCEAttemptObservation) -> Void) {
        observer.withLock { $0 = handler }
    }

    // MARK: Breaker

    /// The breaker state of `source` (for health reporting and tests).
    package func breakerState(_ source: SourceID) -> CircuitBreaker.State { breakers.state(source) }

    private func admit(_ source: SourceID, at t: Date) -> Date? { breakers.admit(source, now: t) }

    private func record(_ source: SourceID, failure: BCEError?, at t: Date) {
        breakers.record(source, unavailable: failure?.isUnavailability ?? false, now: t)
    }

    private func abandon(_ source: SourceID, at t: Date) { breakers.abandon(source, now: t) }

    // MARK: Transport

    /// Sends one logical call: breaker check, then attempts (each signed anew) until success or the policy says stop.
    private func call<T>(
        _ endpoint: BCEEndpoint, operation: String, method: String, path: String, query: [(String, String)], body: [UInt8]?,
        decode: ([UInt8]) throws(BCEError) -> T
    ) async throws -> T {
        let source = endpoint.source
        if let until = admit(source, at: now()) {
            throw BCEError(kind: .circuitOpen, source: source, operation: operation, message: "circuit open until \(RFC3339.format(until))")
        }
        var backoffRetries = 0
        var expiredRetried = false
        while true {
            let outcome: Result<T, BCEError>
            do {
                let response = try await attempt(endpoint, operation: operation, method: method, path: path, query: query, body: body)
                outcome = Result { () throws(BCEError) -> T in try decode(response.body) }
            } catch let e as BCEError {
                outcome = .failure(e)
            } catch {
                abandon(source, at: now())
                throw error
            }
            switch outcome {
            case .success(let value):
                record(source, failure: nil, at: now())
                return value
            case .failure(let error):
                switch configuration.retry.decide(error, backoffRetries: backoffRetries, expiredRetried: expiredRetried, random: random()) {
                case .fail:
                    record(source, failure: error, at: now())
                    throw error
                case .retry(let delay):
                    if error.code == "RequestExpired" { expiredRetried = true } else { backoffRetries += 1 }
                    logger.debug("BCE attempt failed, retrying", metadata: [
                        "bce.source": "\(source)", "bce.operation": operation, "bce.error": error.code ?? error.kind.rawValue,
                        "bce.retry_in_ms": "\(delay.milliseconds)",
                    ])
                    do {
                        try await sleep(delay)
                    } catch {
                        abandon(source, at: now())
                        throw error
                    }
                }
            }
        }
    }

    /// One signed HTTP exchange; a non-2xx answer becomes a `.service` error.
    private func attempt(
        _ endpoint: BCEEndpoint, operation: String, method: String, path: String, query: [(String, String)], body: [UInt8]?
    ) async throws -> HTTPClientResponse {
        let fullPath = endpoint.basePath + path
        var other: [(String, String)] = [("Accept", "application/json")]
        if body != nil { other.append(("Content-Type", "application/json;charset=utf-8")) }
        let signer = BCESigner(credentials: endpoint.credentials)
        let headers = signer.signedHeaders(
            method: method, host: endpoint.hostHeader, path: fullPath, query: query, date: now(), otherHeaders: other,
            expiration: configuration.expiration)
        var url = endpoint.baseURL + PercentCoding.encode(path, keepSlash: true)
        if !query.isEmpty { url += "?" + query.map { PercentCoding.encode($0.0) + "=" + PercentCoding.encode($0.1) }.joined(separator: "&") }
        let request = HTTPClientRequest(
            method: method, url: url, headers: headers.map { (name: $0.0, value: $0.1) }, body: body ?? [],
            connectTimeout: configuration.connectTimeout, totalTimeout: configuration.totalTimeout, concurrencyKey: endpoint.source.description)
        let response: HTTPClientResponse
        let started = ContinuousClock.now
        let observe = observer.withLock { $0 }
        do {
            response = try await http.execute(request)
        } catch let e as HTTPClientError {
            observe?(BCEAttemptObservation(source: endpoint.source, operation: operation, outcome: .transportError, duration: ContinuousClock.now - started))
            throw BCEError(e, source: endpoint.source, operation: operation)
        }
        observe?(BCEAttemptObservation(
            source: endpoint.source, operation: operation, outcome: BCEAttemptObservation.outcome(status: response.status),
            duration: ContinuousClock.now - started))
        guard (200..<300).contains(response.status) else {
            let parsed = BCEWireDecoder(source: endpoint.source, operation: operation).errorBody(response.body)
            throw BCEError(
                kind: .service, source: endpoint.source, operation: operation, status: response.status, code: parsed.code,
                message: parsed.message ?? "HTTP \(response.status)", requestID: parsed.requestID ?? response.header("x-bce-request-id"))
        }
        return response
    }

    // MARK: Tokens

    /// A fresh random clientToken (32 hex characters).
    package static func makeClientToken() -> String { Crypto.randomHex(bytes: 16) }

    static func validate(clientToken: String, endpoint: BCEEndpoint, operation: String) throws(BCEError) {
        guard !clientToken.isEmpty, clientToken.utf8.count <= 64, clientToken.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw BCEError(kind: .client, source: endpoint.source, operation: operation, message: "clientToken must be 1-64 printable ASCII characters")
        }
    }
}
