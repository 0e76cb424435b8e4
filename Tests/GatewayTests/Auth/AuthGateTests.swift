import Foundation
import Testing
import TPGWCore
import TPGWHTTP
@testable import TPGWGateway

@Suite struct AuthGateTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let key = "tpgw_" + String(repeating: "a", count: 40)

    static func head(_ path: String, authorization: String?, peer: String = "10.0.0.1:5555") -> HTTPRequestHead {
        var headers: HTTPHeaders = ["Host": "h"]
        if let authorization { headers.add("Authorization", authorization) }
        return HTTPRequestHead(method: .POST, target: path, headers: headers, contentLength: 1 << 20, remoteAddress: peer)
    }

    static func authenticator(failures: FailedAuthLimiter = FailedAuthLimiter()) async throws -> Authenticator {
        let ring = KeyRing(load: { [KeyRingTests.stored(AuthGateTests.key, scopes: [.read])] })
        try await ring.reload(now: t0)
        return Authenticator(keys: ring, limiter: RateLimiter(rate: 100, burst: 100), failures: failures)
    }

    @Test func bodyUnderV1_needsAKnownKey_scopesAreLeftToTheHandler() async throws {
        let auth = try await Self.authenticator()
        #expect(auth.gate(Self.head("/v1/alert-rules", authorization: nil), now: Self.t0)?.status == .unauthorized)
        #expect(auth.gate(Self.head("/v1/alert-rules", authorization: "Basic abc"), now: Self.t0)?.code == "unauthorized")
        #expect(auth.gate(Self.head("/v1/alert-rules", authorization: "Bearer tpgw_nope"), now: Self.t0)?.status == .unauthorized)
        // A read key passes the gate even for a write route: the handler answers 403 after reading the body.
        #expect(auth.gate(Self.head("/v1/packages?x=1", authorization: "Bearer \(Self.key)"), now: Self.t0) == nil)
        // Outside /v1 the gate does not decide.
        #expect(auth.gate(Self.head("/metrics", authorization: nil), now: Self.t0) == nil)
        #expect(auth.gate(Self.head("/v1x", authorization: nil), now: Self.t0) == nil)
        // The router decodes escapes in literal segments: so does the gate.
        #expect(auth.gate(Self.head("/%76%31/channels", authorization: nil), now: Self.t0)?.status == .unauthorized)
        #expect(auth.gate(Self.head("http://h/v1/channels", authorization: nil), now: Self.t0)?.status == .unauthorized)
    }

    @Test func failuresPerAddress_areLimited_withRetryAfter_otherAddressesUnaffected() async throws {
        let auth = try await Self.authenticator(failures: FailedAuthLimiter(rate: 1, burst: 20))
        for i in 0..<20 {
            #expect(auth.gate(Self.head("/v1/x", authorization: "Bearer tpgw_bad\(i)"), now: Self.t0)?.status == .unauthorized)
        }
        let limited = auth.gate(Self.head("/v1/x", authorization: "Bearer \(Self.key)"), now: Self.t0)
        #expect(limited?.status == .tooManyRequests, "even a good key waits: no hashing for this address now")
        #expect(limited?.headers["Retry-After"] == "1")
        #expect(auth.gate(Self.head("/v1/x", authorization: "Bearer \(Self.key)", peer: "10.0.0.2:1"), now: Self.t0) == nil)
        #expect(auth.gate(Self.head("/v1/x", authorization: "Bearer \(Self.key)"), now: Self.t0.addingTimeInterval(1)) == nil)
    }

    @Test func failedAuthLimiter_boundsWhatItTracks() {
        let limiter = FailedAuthLimiter(rate: 1, burst: 2, maxTracked: 3)
        for i in 0..<10 { limiter.recordFailure("10.0.0.\(i)", now: Self.t0) }
        limiter.recordFailure("10.0.0.1", now: Self.t0)
        #expect(limiter.wait("10.0.0.1", now: Self.t0) != nil)
        #expect(limiter.wait("10.0.0.9", now: Self.t0) == nil, "beyond maxTracked, new addresses go uncounted")
        #expect(limiter.wait("10.0.0.1", now: Self.t0.addingTimeInterval(1)) == nil)
    }

    @Test func peerHost_dropsThePort() {
        #expect(RequestContext.host(ofAddress: "127.0.0.1:5000") == "127.0.0.1")
        #expect(RequestContext.host(ofAddress: "[::1]:5000") == "::1")
        #expect(RequestContext.host(ofAddress: "unknown") == "unknown")
    }
}
