import Foundation
import Synchronization
import Testing
import TPGWBCE
import TPGWCore
import TPGWHTTPClient
@testable import bce_sim

@Suite struct HTTPClientTests {
    @Test func connectionError_redactsQueryAndUserInfo() async throws {
        let http = HTTPClient()
        await #expect {
            try await http.execute(HTTPClientRequest(url: "http://user:pw@127.0.0.1:1/hook?token=SECRET123"))
        } throws: { error in
            guard let e = error as? HTTPClientError else { return false }
            return e.kind == .connect && !e.description.contains("SECRET123") && !e.description.contains("pw@") && e.url == "http://127.0.0.1:1/…"
        }
        await http.shutdown()
    }

    /// How both clouds' errors take a transfer that got no answer: a timeout, the service unreachable (these count
    /// against the circuit breaker) or a fault on this side. Every kind is classified.
    static let failures: [(HTTPClientError.Kind, HTTPClientError.Failure)] = [
        (.timeout, .timeout), (.connect, .connection), (.transport, .connection), (.forbiddenAddress, .connection),
        (.responseTooLarge, .client), (.invalidRequest, .client), (.shutdown, .client),
    ]

    @Test(arguments: failures)
    func transportFailure_isClassifiedOnceForBothClouds(_ kind: HTTPClientError.Kind, _ failure: HTTPClientError.Failure) {
        #expect(HTTPClientError(kind: kind, operation: "GET", url: "http://h/", detail: "").failure == failure)
    }

    @Test func transportFailureTable_coversEveryKind() {
        #expect(Set(Self.failures.map(\.0)) == Set(HTTPClientError.Kind.allCases))
    }

    /// `BCEError` takes the class's kind (`TencentError` too, in its own tests) and keeps curl's code and text.
    @Test(arguments: HTTPClientError.Kind.allCases)
    func transportFailure_becomesTheBCEErrorOfItsClass(_ kind: HTTPClientError.Kind) {
        let transport = HTTPClientError(kind: kind, curlCode: 7, operation: "GET", url: "http://h/", detail: "boom")
        let error = BCEError(transport, source: SourceID(account: "prod", region: "bj"), operation: "list")
        #expect("\(error.kind)" == "\(transport.failure)")
        #expect(error.curlCode == 7)
        #expect(error.message == transport.description)
    }

    @Test func redactedURL_keepsSchemeHostPortOnly() {
        #expect(RedactedURL.redact("https://a:b@h.example:8443/x/y?k=v#f") == "https://h.example:8443/…")
        #expect(RedactedURL.redact("http://h/p") == "http://h/…")
        #expect(RedactedURL.redact("http://h/") == "http://h/")
        #expect(RedactedURL.redact("http://h?token=x") == "http://h/…")
        #expect(RedactedURL.redact("https://hooks.slack.com/services/T0/B0/abcdefSECRET") == "https://hooks.slack.com/…")
        #expect(RedactedURL.redact("https://open.feishu.cn/open-apis/bot/v2/hook/0f0e-SECRET") == "https://open.feishu.cn/…")
        #expect(RedactedURL.redact("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET") == "https://qyapi.weixin.qq.com/…")
        #expect(RedactedURL.redact("not a url SECRET") == "…")
    }

    @Test func responseLargerThanCap_failsAsTooLarge() async throws {
        let h = try await SimHarness.start(packages: 200, http: .init(maxResponseSize: 4096))
        await #expect { try await h.client.listPackages(h.endpoint()) } throws: {
            ($0 as? BCEError)?.kind == .client && "\($0)".contains("responseTooLarge")
        }
        await h.stop()
    }

    @Test func cancellingTheTask_removesTheTransferAtOnce() async throws {
        let h = try await SimHarness.start(packages: 5)
        var f = SimFault()
        f.hang = true
        h.sim.setFault(region: "bj", f)
        let e = h.endpoint()
        let start = ContinuousClock.now
        let task = Task { try await h.client.listPackages(e) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let result = await task.result
        let elapsed = ContinuousClock.now - start
        await h.stop()
        // Without cancellation the hang lasts until the 15 s total timeout (then retries). Generous for a loaded machine.
        #expect(elapsed < .seconds(5))
        guard case .failure(let error) = result else { Issue.record("expected cancellation"); return }
        #expect(error is CancellationError)
    }

    /// Asserted on the permits observed in use rather than on an upper time bound (which a loaded machine breaks):
    /// at most 4 at once, and 4 reached, since every request holds its permit for at least the 200 ms latency.
    @Test func perSourceLimit_allowsFourInFlight() async throws {
        let h = try await SimHarness.start(packages: 1)
        var f = SimFault()
        f.latencyMs = 200
        h.sim.setFault(region: "bj", f)
        let e = h.endpoint()
        let id = h.allIDs()[0]
        let key = e.source.description
        let start = ContinuousClock.now
        let finished = Flag()
        let work = Task {
            defer { finished.set() }
            try await withThrowingTaskGroup(of: Void.self) { g in
                for _ in 0..<8 { g.addTask { _ = try await h.client.getPackage(e, id: id) } }
                try await g.waitForAll()
            }
        }
        var peak = 0
        while !finished.isSet {
            peak = max(peak, h.http.limiter.inUse(key))
            try await Task.sleep(for: .milliseconds(5))
        }
        try await work.value
        let elapsed = ContinuousClock.now - start
        await h.stop()
        #expect(peak == 4)
        #expect(elapsed >= .milliseconds(400), "8 requests at 4 in flight take two rounds")
    }

    @Test func limiter_cancelledWaiter_leavesPermitsConsistent() async throws {
        let limiter = KeyedConcurrencyLimiter(limit: 1)
        try await limiter.acquire("k")
        let waiter = Task { try await limiter.acquire("k") }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        limiter.release("k")
        #expect(limiter.inUse("k") == 0)
        try await limiter.acquire("k")
        #expect(limiter.inUse("k") == 1)
        limiter.release("k")
    }
}

/// A set-once flag shared with a task.
private final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
